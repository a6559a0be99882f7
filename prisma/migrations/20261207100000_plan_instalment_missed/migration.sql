-- A missed plan instalment's reminder (pay by the grace day or the plan ends) is a letter like
-- every decision the resident must hear of, not an email only (issue 14, safeguard 5).
ALTER TYPE "NoticeKind" ADD VALUE 'PLAN_INSTALMENT_MISSED' AFTER 'PLAN_COMPLETED';
