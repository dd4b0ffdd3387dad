-- One validation result for each of $delivery_ids: a delivery validated alone, or a batch's files its shape passed.
INSERT OR REPLACE INTO meta.validations SELECT unnest($delivery_ids), $suite, $success, $result;
