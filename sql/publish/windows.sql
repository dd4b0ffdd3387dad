-- Each source's comparison window, how much of it the data covers, whether its data is overdue, and the
-- layouts its months compared came in when more than one.
SELECT source, current_first, current_last, previous_first, previous_last, current_period, previous_period,
       comparison_available, comparison_status, first_month_with_data, last_month_with_data,
       complete_until, data_to, overdue, mixed_forms
FROM facts.source_windows
ORDER BY source;
