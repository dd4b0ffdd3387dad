-- An incremental build's rows checked again (the temporary table `increment`) and the deliveries they are of.
SELECT count(*), count(DISTINCT _delivery_id) FROM increment;
