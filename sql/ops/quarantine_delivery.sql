UPDATE meta.deliveries SET status = 'quarantined', reason = $reason WHERE delivery_id = $delivery_id;
