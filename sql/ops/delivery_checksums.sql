SELECT source || ':' || checksum FROM meta.deliveries ORDER BY delivery_id;
