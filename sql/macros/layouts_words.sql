-- layouts_words(parts, what): data that came in more than one form (layout), in words, each form named
-- in `parts` (2 or more), and what that means for `what` (a change, the trend): 'two layouts of the data
-- — A and B; where the two differ in level, part of a change may be the layout's, not a real change'.
-- facts.source_windows.mixed_forms (the months compared) and comparisons.measure_trend.trend_layouts.
CREATE OR REPLACE MACRO layouts_words(parts, what) AS
    CASE len(parts) WHEN 2 THEN 'two' WHEN 3 THEN 'three' ELSE len(parts)::VARCHAR END
    || ' layouts of the data — ' || array_to_string(parts[1:len(parts) - 1], ', ') || ' and ' || parts[len(parts)]
    || '; where ' || CASE len(parts) WHEN 2 THEN 'the two' ELSE 'they' END
    || ' differ in level, part of ' || what || ' may be the layout''s, not a real change';
