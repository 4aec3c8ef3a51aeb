-- CH-CONSENT: TRUNCATE bypasses row triggers; refuse it on the append-only ledger.
CREATE FUNCTION consent_entries_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'CH-CONSENT: the consent ledger is append-only; it cannot be truncated'
    USING ERRCODE = 'check_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER consent_entries_no_truncate
  BEFORE TRUNCATE ON consent_entries
  FOR EACH STATEMENT EXECUTE FUNCTION consent_entries_no_truncate();
