INSERT OR REPLACE INTO meta.validations VALUES ($delivery_id, $suite, $success, $result);
