-- The case-flow simulation counts claims reaching the enforcement queue per amount band in the
-- figures' vocabulary (b0 … b4, app/domain/amount-bands.ts) instead of its own (under200 …
-- over5000): the same bands, one name each. Runs stored before are renamed so they still show.
UPDATE "PolicySimulation" AS s
SET "summary" = jsonb_set(
  jsonb_set(
    s."summary",
    '{current,enforcement}',
    (SELECT jsonb_object_agg(
              CASE e.key
                WHEN 'under200' THEN 'b0'
                WHEN '200to500' THEN 'b1'
                WHEN '500to1000' THEN 'b2'
                WHEN '1000to5000' THEN 'b3'
                WHEN 'over5000' THEN 'b4'
                ELSE e.key
              END,
              e.value)
       FROM jsonb_each(s."summary" -> 'current' -> 'enforcement') AS e)
  ),
  '{draft,enforcement}',
  (SELECT jsonb_object_agg(
            CASE e.key
              WHEN 'under200' THEN 'b0'
              WHEN '200to500' THEN 'b1'
              WHEN '500to1000' THEN 'b2'
              WHEN '1000to5000' THEN 'b3'
              WHEN 'over5000' THEN 'b4'
              ELSE e.key
            END,
            e.value)
     FROM jsonb_each(s."summary" -> 'draft' -> 'enforcement') AS e)
)
-- Both sides are always stored with every band.
WHERE s."summary" -> 'current' -> 'enforcement' ? 'under200'
  AND s."summary" -> 'draft' -> 'enforcement' ? 'under200';
