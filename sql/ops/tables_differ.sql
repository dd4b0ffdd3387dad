-- The rows two attached mart databases' same-named tables do not share, in either direction (0: the same rows).
-- {table}: the table's name, quoted (a name, which SQL parameters cannot be).
SELECT count(*) FROM (
    (FROM new_mart.{table} EXCEPT ALL FROM previous_mart.{table})
    UNION ALL
    (FROM previous_mart.{table} EXCEPT ALL FROM new_mart.{table})
);
