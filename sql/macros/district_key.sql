-- district_key(text): a district name or code reduced to lower-case letters and digits, so that
-- 'Tonbridge & Malling', 'TONBRIDGE AND MALLING' and 'tonbridge-and-malling' name one district
-- (ref.district_names holds the key of every district's name and code).
CREATE OR REPLACE MACRO district_key(value) AS
    regexp_replace(lower(replace(trim(value), '&', 'and')), '[^a-z0-9]', '', 'g');
