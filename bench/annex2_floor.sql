-- Annex 2's 14 indicators for some regions and one month, written by hand: the floor that
-- `reports.selectors.annex2_rows` is measured against by `make bench` (bench/README.md). One
-- statement, one round trip, no ORM: the definitions of reports/indicators.py (DESIGN.md, Annex 2)
-- read through the same covering indexes, one grouped scan per index, joined by region.
-- Parameters: %(regions)s (region ids), %(start)s and %(end)s (the month's first and last day),
-- %(year_start)s (January 1). Columns: region_id, i1 … i14 (i14 in yuan; the form shows 万元).
WITH
units AS (  -- 1, 2: units_unit_approved_idx
    SELECT region_id, count(*) AS i1, count(*) FILTER (WHERE first_approved_on >= %(start)s) AS i2
    FROM units_unit
    WHERE region_id = ANY(%(regions)s) AND first_approved_on <= %(end)s
      AND (revoked_on IS NULL OR revoked_on >= %(end)s)
    GROUP BY region_id),
posts AS (  -- 3, 4: positions_post_approved_idx, units revoked by E through units_unit_revoked_idx
    SELECT region_id, sum(slots) AS i3, sum(slots) FILTER (WHERE first_approved_on >= %(start)s) AS i4
    FROM positions_post
    WHERE region_id = ANY(%(regions)s) AND first_approved_on <= %(end)s
      AND (closed_on IS NULL OR closed_on > %(end)s)
      AND unit_id NOT IN (SELECT id FROM units_unit WHERE revoked_on <= %(end)s)
    GROUP BY region_id),
planned AS (  -- 5 (planned in M): trainees_pl_planned_idx
    SELECT region_id, count(*) AS i5
    FROM trainees_placement
    WHERE region_id = ANY(%(regions)s) AND planned_start BETWEEN %(start)s AND %(end)s
      AND status <> 'cancelled' AND continues_id IS NULL
    GROUP BY region_id),
started AS (  -- 5 (started in M, not planned in M), 6, 7: trainees_pl_started_idx
    SELECT region_id,
           count(*) FILTER (WHERE planned_start NOT BETWEEN %(start)s AND %(end)s AND status <> 'cancelled'
                            AND continues_id IS NULL) AS i5,
           count(*) FILTER (WHERE continues_id IS NULL) AS i6,
           count(*) FILTER (WHERE continues_id IS NULL AND category = 'college_graduate') AS i7
    FROM trainees_placement
    WHERE region_id = ANY(%(regions)s) AND started_on BETWEEN %(start)s AND %(end)s
    GROUP BY region_id),
ended AS (  -- 8–12: trainees_pl_ended_idx
    SELECT region_id,
           count(*) FILTER (WHERE "end" IN ('completed', 'early_retained')) AS i8,
           count(*) FILTER (WHERE "end" = 'early_retained' OR ("end" = 'completed' AND outcome = 'retained')) AS i9,
           count(*) FILTER (WHERE ("end" = 'early_retained' OR ("end" = 'completed' AND outcome = 'retained'))
                            AND category = 'college_graduate') AS i10,
           count(*) FILTER (WHERE "end" IN ('completed', 'early_retained') AND outcome = 'other_employment') AS i11,
           count(*) FILTER (WHERE "end" = 'abnormal') AS i12
    FROM trainees_placement
    WHERE region_id = ANY(%(regions)s) AND ended_on BETWEEN %(start)s AND %(end)s
    GROUP BY region_id),
on_duty AS (  -- 13: never ended (trainees_pl_never_ended_idx) + ended after E (trainees_pl_ended_idx)
    SELECT region_id, count(*) AS i13 FROM trainees_placement
    WHERE region_id = ANY(%(regions)s) AND ended_on IS NULL AND started_on <= %(end)s GROUP BY region_id
    UNION ALL
    SELECT region_id, count(*) FROM trainees_placement
    WHERE region_id = ANY(%(regions)s) AND ended_on > %(end)s AND started_on <= %(end)s GROUP BY region_id),
paid AS (  -- 14: subsidies_disb_paid_idx
    SELECT region_id, sum(amount) AS i14 FROM subsidies_disbursement
    WHERE paid_on BETWEEN %(year_start)s AND %(end)s AND region_id = ANY(%(regions)s)
    GROUP BY region_id)
SELECT r.id AS region_id,
       coalesce(units.i1, 0), coalesce(units.i2, 0), coalesce(posts.i3, 0), coalesce(posts.i4, 0),
       coalesce(planned.i5, 0) + coalesce(started.i5, 0), coalesce(started.i6, 0), coalesce(started.i7, 0),
       coalesce(ended.i8, 0), coalesce(ended.i9, 0), coalesce(ended.i10, 0), coalesce(ended.i11, 0),
       coalesce(ended.i12, 0), coalesce((SELECT sum(i13) FROM on_duty WHERE on_duty.region_id = r.id), 0),
       coalesce(paid.i14, 0)
FROM unnest(%(regions)s::bigint[]) AS r(id)
LEFT JOIN units ON units.region_id = r.id
LEFT JOIN posts ON posts.region_id = r.id
LEFT JOIN planned ON planned.region_id = r.id
LEFT JOIN started ON started.region_id = r.id
LEFT JOIN ended ON ended.region_id = r.id
LEFT JOIN paid ON paid.region_id = r.id
ORDER BY r.id
