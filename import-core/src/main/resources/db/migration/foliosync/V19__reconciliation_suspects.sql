-- Issue 25. A verdict says where to look: per asset, the records that explain a difference (a record of a type
-- whose effect is unknown, the source's running balance that parts from the history and the records around it),
-- and the OTHER-typed records the derivation counted. Each is a list of sentences, one per line, written for the
-- user; NULL when there is none (rows written before this version have none).
ALTER TABLE reconciliation_results ADD COLUMN suspect_records TEXT;
ALTER TABLE reconciliation_results ADD COLUMN counted_other TEXT;
-- The last day before diverged_on on which the source and the history still agreed: the missing record lies after
-- it. Two assets whose windows overlap (both legs of one missing trade) are reported as one gap.
ALTER TABLE reconciliation_results ADD COLUMN agreed_through ${date};
