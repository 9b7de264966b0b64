-- The database roles the API connects through, so that it needs neither the owner's password
-- nor any right to change what the collector writes (README, "Database roles"):
-- - streamscope_reader reads every table and view but api_keys: what /live, /search,
--   /channels, /stats, /export and /health query;
-- - streamscope_key_manager reads api_keys, creates and revokes keys and records their use
--   (SELECT, INSERT, UPDATE; never DELETE).
-- Both are NOLOGIN groups. The API's login role, streamscope_api, is a member of both; it is
-- made, with its password, by `streamscope-collector migrate` when API_DATABASE_PASSWORD is
-- set (common/db/api_role.cpp), never here: a migration must not hold a password.
--
-- Roles belong to the whole cluster, not to this database: another Streamscope database may
-- have created them already, perhaps at this very moment. Creating one needs CREATEROLE; a
-- migrating role without it (a managed PostgreSQL whose owner role is plain) fails here with
-- the statements an administrator runs once before migrating again.
DO $$
DECLARE
    group_role text;
BEGIN
    FOREACH group_role IN ARRAY ARRAY['streamscope_reader', 'streamscope_key_manager'] LOOP
        CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = group_role);
        IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'role % does not exist, and % may not create roles: have an '
                            'administrator run "CREATE ROLE streamscope_reader NOLOGIN; CREATE '
                            'ROLE streamscope_key_manager NOLOGIN;" (or grant % CREATEROLE), '
                            'then migrate again', group_role, current_user, current_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created meanwhile by the migration of another database
        END;
    END LOOP;
END $$;

-- The schema public belongs to the database's owner; PUBLIC may use it unless someone revoked
-- that, and a migrating role that does not own the database cannot grant it.
DO $$
BEGIN
    IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
        GRANT USAGE ON SCHEMA public TO streamscope_reader, streamscope_key_manager;
    END IF;
END $$;
GRANT USAGE ON SCHEMA compat TO streamscope_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public, compat TO streamscope_reader;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA public, compat TO streamscope_reader;
REVOKE ALL ON api_keys FROM streamscope_reader;

GRANT SELECT, INSERT, UPDATE ON api_keys TO streamscope_key_manager;
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO streamscope_key_manager',
                   pg_get_serial_sequence('api_keys', 'id'));
END $$;

-- The one function the API calls (api/handlers/live/rows.cpp), for a database whose operator
-- revoked EXECUTE from PUBLIC. On a new database it is made after this migration, by a
-- repeatable file: the default privilege below covers it then.
DO $$
BEGIN
    IF to_regprocedure('stream_url(text, text, text, text)') IS NOT NULL THEN
        GRANT EXECUTE ON FUNCTION stream_url(text, text, text, text) TO streamscope_reader;
    END IF;
END $$;

-- What this role creates from now on stays readable: tables and views of later migrations,
-- the daily snapshot partitions the collector creates (ensure_snapshot_partitions, run by the
-- collector's role, which is this one in every deployment we ship; the API reads them through
-- snapshots, which needs no grant on a partition, but psql users may name one), and the
-- functions and views the repeatable files create after this migration on a new database.
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO streamscope_reader;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON SEQUENCES TO streamscope_reader;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO streamscope_reader;
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO streamscope_reader;
