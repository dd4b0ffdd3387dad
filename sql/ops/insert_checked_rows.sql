-- ...then adds the rows it produced (temp table `increment`).
INSERT INTO {checked_table} BY NAME SELECT * FROM increment;
