-- parse_timestamp(text): a date or a date and time written the ways partners send them (ISO, or
-- UK day-first, with or without a time) as a TIMESTAMP; NULL when it is none of these. Every
-- source reads its dates through this, so a new format is added once, here.
CREATE OR REPLACE MACRO parse_timestamp(value) AS try_strptime(trim(value), [
    '%Y-%m-%d',
    '%d/%m/%Y',
    '%Y-%m-%d %H:%M:%S',
    '%Y-%m-%d %H:%M',
    '%Y-%m-%dT%H:%M:%S',
    '%d/%m/%Y %H:%M',
    '%d/%m/%Y %H:%M:%S',
    '%d-%b-%Y'
]);
