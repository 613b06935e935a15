/**
 * The engine settings the service lets users set, per engine, as its catalogue lists them
 * (names, types, bounds, units, whether a change needs a restart), read from the recorded
 * answers of GET /rdb/v1/regions/{region}/database-engines. `since` is the first major
 * version of PostgreSQL that offers a setting.
 */
export interface EngineSetting {
  readonly name: string;
  readonly property_type: "BOOLEAN" | "INT" | "STRING" | "FLOAT";
  readonly default_value: string;
  readonly description: string;
  readonly unit: string | null;
  readonly hot_configurable: boolean;
  readonly int_min: number | null;
  readonly int_max: number | null;
  readonly float_min: number | null;
  readonly float_max: number | null;
  readonly string_constraint: string | null;
  /** First PostgreSQL major version offering it; not part of the API's answer. */
  readonly since?: number;
}

interface Options {
  readonly int?: readonly [number | null, number | null];
  readonly float?: readonly [number | null, number | null];
  readonly unit?: string;
  readonly pattern?: string;
  readonly hot?: boolean;
  readonly since?: number;
}

function setting(
  name: string,
  property_type: EngineSetting["property_type"],
  default_value: string,
  options: Options,
  description: string,
): EngineSetting {
  return {
    name,
    property_type,
    default_value,
    description,
    unit: options.unit ?? null,
    hot_configurable: options.hot ?? false,
    int_min: options.int?.[0] ?? null,
    int_max: options.int?.[1] ?? null,
    float_min: options.float?.[0] ?? null,
    float_max: options.float?.[1] ?? null,
    string_constraint: options.pattern ?? null,
    ...(options.since ? { since: options.since } : {}),
  };
}

/** Time zone names: the service lists every IANA name in one long pattern; this one accepts the same shapes. */
const TIME_ZONE = "^(GMT|UTC|[A-Z][A-Za-z_]+(/[A-Za-z_+-]+){1,2})$";

export const POSTGRESQL_SETTINGS: readonly EngineSetting[] = [
  setting(
    "autovacuum_vacuum_insert_scale_factor",
    "FLOAT",
    "0.2",
    { float: [0.1, 100], hot: true, since: 16 },
    "Specifies a fraction of the table size to add to autovacuum_vacuum_insert_threshold when deciding whether to trigger a VACUUM.",
  ),
  setting(
    "autovacuum_vacuum_insert_threshold",
    "INT",
    "1000",
    { int: [-1, 1147483647], hot: true, since: 16 },
    "Specifies the number of inserted tuples needed to trigger a VACUUM in any one table.",
  ),
  setting(
    "autovacuum_vacuum_scale_factor",
    "FLOAT",
    "0.2",
    { float: [0.1, 100], hot: true, since: 16 },
    "Specifies a fraction of the table size to add to autovacuum_vacuum_threshold when deciding whether to trigger a VACUUM.",
  ),
  setting(
    "autovacuum_vacuum_threshold",
    "INT",
    "50",
    { int: [50, 2147483647], hot: true, since: 16 },
    "Specifies the minimum number of updated or deleted tuples needed to trigger a VACUUM in any one table.",
  ),
  setting(
    "bgwriter_delay",
    "INT",
    "200",
    { int: [10, 10000], unit: "ms", hot: true },
    "Background writer sleep time between rounds.",
  ),
  setting(
    "bgwriter_flush_after",
    "INT",
    "512",
    { int: [0, 2048], unit: "kB", hot: true },
    "Number of pages after which previously performed writes are flushed to disk.",
  ),
  setting(
    "bgwriter_lru_maxpages",
    "INT",
    "100",
    { int: [0, 1073741823], hot: true },
    "Background writer maximum number of LRU pages to flush per round.",
  ),
  setting(
    "bgwriter_lru_multiplier",
    "INT",
    "2",
    { int: [0, 10], hot: true },
    "Multiple of the average buffer usage to free per round.",
  ),
  setting(
    "checkpoint_timeout",
    "INT",
    "30",
    { int: [30, 21600], hot: true, since: 10 },
    "Sets the maximum time between automatic WAL checkpoints.",
  ),
  setting(
    "commit_delay",
    "INT",
    "0",
    { int: [0, 100000], hot: true },
    "Sets the delay in microseconds between transaction commit and flushing WAL to disk.",
  ),
  setting(
    "cron.timezone",
    "STRING",
    "GMT",
    { pattern: TIME_ZONE, since: 16 },
    "Specifies the timezone in which the pg_cron background worker should run.",
  ),
  setting(
    "deadlock_timeout",
    "INT",
    "1000",
    { int: [100, 60000], unit: "ms", hot: true },
    "Sets the time to wait on a lock before checking for deadlock.",
  ),
  setting(
    "default_statistics_target",
    "INT",
    "100",
    { int: [1, 10000], hot: true },
    "Sets the default statistics target.",
  ),
  setting(
    "default_transaction_deferrable",
    "BOOLEAN",
    "off",
    { hot: true },
    "Sets the default deferrable status of new transactions.",
  ),
  setting(
    "effective_cache_size",
    "INT",
    "4096",
    { int: [64, 1048576], unit: "MB", hot: true },
    "Sets the planner s assumption about the size of the data cache.",
  ),
  setting(
    "effective_io_concurrency",
    "INT",
    "1",
    { int: [1, 32], hot: true, since: 12 },
    "Sets the number of concurrent disk I/O operations that PostgreSQL expects can be executed simultaneously.",
  ),
  setting(
    "hot_standby_feedback",
    "BOOLEAN",
    "off",
    { hot: true, since: 10 },
    "Specifies whether or not a hot standby will send feedback to the primary or upstream standby about queries currently executing on the standby.",
  ),
  setting(
    "idle_in_transaction_session_timeout",
    "INT",
    "3600000",
    { int: [0, 2147483647], unit: "ms", hot: true },
    "Sets the maximum allowed duration of any idling transaction. Value in ms.",
  ),
  setting(
    "lock_timeout",
    "INT",
    "0",
    { int: [0, 2147483647], unit: "ms" },
    "Sets the maximum allowed duration of any wait for a lock.",
  ),
  setting(
    "log_autovacuum_min_duration",
    "INT",
    "-1",
    { int: [-1, 2147483647], unit: "ms", hot: true, since: 10 },
    "Sets the minimum execution time above which autovacuum actions will be logged.",
  ),
  setting(
    "log_checkpoints",
    "BOOLEAN",
    "on",
    { hot: true, since: 16 },
    "Causes checkpoints and restartpoints to be logged in the server log.",
  ),
  setting("log_lock_waits", "BOOLEAN", "on", { hot: true, since: 16 }, "Logs long lock waits"),
  setting(
    "log_min_duration_statement",
    "INT",
    "5000",
    { int: [-1, 2147483647], unit: "ms", hot: true, since: 16 },
    "Sets the minimum execution time above which all statements will be logged",
  ),
  setting("log_replication_commands", "BOOLEAN", "on", { since: 16 }, "Logs each replication command"),
  setting(
    "log_temp_files",
    "INT",
    "0",
    { int: [-1, 2147483647], unit: "kB", hot: true, since: 16 },
    "Log the use of temporary files larger than this number of kilobytes",
  ),
  setting(
    "maintenance_work_mem",
    "INT",
    "64",
    { int: [1, 2097151], unit: "MB", hot: true },
    "Sets the maximum memory to be used for maintenance operations.",
  ),
  setting("max_connections", "INT", "100", { int: [50, 10000] }, "Sets the maximum number of concurrent connections."),
  setting(
    "max_locks_per_transaction",
    "INT",
    "64",
    { int: [10, 2147483647] },
    "Sets the maximum number of locks per transaction.",
  ),
  setting(
    "max_parallel_workers",
    "INT",
    "8",
    { int: [0, 1024], hot: true, since: 10 },
    "Sets the maximum number of parallel workers that can be active at one time.",
  ),
  setting(
    "max_parallel_workers_per_gather",
    "INT",
    "2",
    { int: [0, 1024], hot: true },
    "Sets the maximum number of parallel processes per executor node.",
  ),
  setting(
    "max_standby_streaming_delay",
    "INT",
    "30000",
    { int: [0, 180000], unit: "ms", hot: true, since: 10 },
    "Sets the maximum delay before canceling queries when a hot standby server is processing streamed WAL data.",
  ),
  setting(
    "max_wal_size",
    "INT",
    "1024",
    { int: [256, 10240], unit: "MB", hot: true, since: 10 },
    "Maximum size to let the WAL grow during automatic checkpoints. Be careful adjusting this setting will use disk space",
  ),
  setting(
    "pg_stat_statements.max",
    "INT",
    "5000",
    { int: [100, 15000], since: 16 },
    "Specifies the maximum number of statements tracked by the module.",
  ),
  setting(
    "pg_stat_statements.track",
    "STRING",
    "top",
    { pattern: "^(top|all|none)$", hot: true, since: 16 },
    "Controls which statements are counted by the module.",
  ),
  setting(
    "pg_stat_statements.track_utility",
    "BOOLEAN",
    "on",
    { hot: true, since: 16 },
    "Controls whether utility commands are tracked by the module.",
  ),
  setting(
    "pgaudit.log",
    "STRING",
    "none",
    {
      pattern:
        "^none$|^ALL$|^(?:(READ|WRITE|FUNCTION|ROLE|DDL|MISC|MISC_SET)(?!.*\\1))(?:(,)(READ|WRITE|FUNCTION|ROLE|DDL|MISC|MISC_SET)(?!.*\\2\\3))*$",
      hot: true,
      since: 12,
    },
    "Specifies which classes of statements will be logged by session audit logging",
  ),
  setting(
    "pgaudit.role",
    "STRING",
    "",
    { pattern: "^[a-zA-Z][a-zA-Z0-9_$-]{0,62}$", hot: true, since: 12 },
    "Specifies the master role to use for object audit logging.",
  ),
  setting(
    "random_page_cost",
    "FLOAT",
    "4.0",
    { float: [0.1, 10], hot: true, since: 12 },
    "Sets the planner's estimate of the cost of a non-sequentially-fetched disk page.",
  ),
  setting(
    "rdb.enable_logical_replication",
    "BOOLEAN",
    "off",
    { since: 17 },
    "Enable logical replication on the instance.",
  ),
  setting("rdb.enable_pgaudit", "BOOLEAN", "off", { since: 12 }, "Enable pgaudit extension on the instance."),
  setting(
    "seq_page_cost",
    "FLOAT",
    "1.0",
    { float: [0.1, 10], hot: true, since: 12 },
    "Sets the planner's estimate of the cost of a disk page fetch that is part of a series of sequential fetches.",
  ),
  setting(
    "statement_timeout",
    "INT",
    "86400000",
    { int: [30000, 2147483647], unit: "ms", hot: true },
    "Sets the maximum allowed duration of any statement. Value in ms",
  ),
  setting(
    "sync_replication_slots",
    "BOOLEAN",
    "off",
    { hot: true, since: 17 },
    "Enable logical failover slots synchronization to standby server.",
  ),
  setting(
    "tcp_keepalives_count",
    "INT",
    "0",
    { int: [0, 2147483647], hot: true },
    "Maximum number of TCP keepalive retransmits.",
  ),
  setting(
    "tcp_keepalives_idle",
    "INT",
    "0",
    { int: [0, 2147483647], hot: true },
    "Time between issuing TCP keepalives.",
  ),
  setting(
    "tcp_keepalives_interval",
    "INT",
    "0",
    { int: [0, 2147483647], hot: true },
    "Time between TCP keepalive retransmits.",
  ),
  setting(
    "temp_buffers",
    "INT",
    "8192",
    { int: [800, 1073741824], unit: "kB", hot: true },
    "Sets the maximum number of temporary buffers used by each session.",
  ),
  setting(
    "temp_file_limit",
    "INT",
    "-1",
    { int: [-1, 2147483647], unit: "kB" },
    "Limits the total size of all temporary files used by each session.",
  ),
  setting(
    "timezone",
    "STRING",
    "GMT",
    { pattern: TIME_ZONE, hot: true },
    "This option sets the global timezone system variable.",
  ),
  setting(
    "track_activity_query_size",
    "INT",
    "1024",
    { int: [100, 8192], unit: "B", since: 11 },
    "Sets the size reserved for pg_stat_activity.query.",
  ),
  setting("track_commit_timestamp", "BOOLEAN", "off", { since: 11 }, "Record commit time of transactions."),
  setting(
    "vacuum_cost_delay",
    "INT",
    "0",
    { int: [0, 100], unit: "ms", hot: true },
    "Vacuum cost delay in milliseconds.",
  ),
  setting(
    "vacuum_cost_limit",
    "INT",
    "200",
    { int: [1, 10000], hot: true },
    "Vacuum cost amount available before napping.",
  ),
  setting(
    "vacuum_cost_page_dirty",
    "INT",
    "20",
    { int: [0, 10000], hot: true },
    "Vacuum cost for a page dirtied by vacuum.",
  ),
  setting(
    "vacuum_cost_page_hit",
    "INT",
    "1",
    { int: [0, 10000], hot: true },
    "Vacuum cost for a page found in the buffer cache.",
  ),
  setting(
    "vacuum_cost_page_miss",
    "INT",
    "10",
    { int: [0, 10000], hot: true },
    "Vacuum cost for a page not found in the buffer cache.",
  ),
  setting(
    "work_mem",
    "INT",
    "4",
    { int: [1, 2097151], unit: "MB", hot: true },
    "Sets the maximum memory to be used for query workspaces.",
  ),
];

export const MYSQL_SETTINGS: readonly EngineSetting[] = [
  setting(
    "auto_increment_increment",
    "INT",
    "1",
    { int: [1, 65535], hot: true },
    "Controls the AUTO_INCREMENT interval between successive column values",
  ),
  setting(
    "auto_increment_offset",
    "INT",
    "1",
    { int: [1, 65535], hot: true },
    "Determines the starting point for the AUTO_INCREMENT column value",
  ),
  setting(
    "character_set_server",
    "STRING",
    "utf8mb4",
    {
      pattern:
        "^(armscii8|ascii|big5|binary|cp1250|cp1251|cp1256|cp1257|cp850|cp852|cp866|cp932|dec8|eucjpms|euckr|gb18030|gb2312|gbk|geostd8|greek|hebrew|hp8|keybcs2|koi8r|koi8u|latin1|latin2|latin5|latin7|macce|macroman|sjis|swe7|tis620|ucs2|ujis|utf16|utf16le|utf32|utf8|utf8mb4)$",
      hot: true,
    },
    "Specify a specific server side character-set encoding",
  ),
  setting(
    "connect_timeout",
    "INT",
    "10",
    { int: [10, 300], hot: true },
    "The number of seconds that the mysqld server waits for a connect packet before responding with Bad handshake",
  ),
  setting(
    "default_authentication_plugin",
    "STRING",
    "mysql_native_password",
    { pattern: "^(mysql_native_password|caching_sha2_password)$" },
    "The default authentication plugin at the user creation",
  ),
  setting(
    "default_time_zone",
    "STRING",
    "UTC",
    { pattern: TIME_ZONE },
    "This option sets the global time_zone system variable.",
  ),
  setting(
    "group_concat_max_len",
    "INT",
    "1024",
    { int: [1024, 65536], hot: true },
    "The maximum permitted result length in bytes for the GROUP_CONCAT() function",
  ),
  setting(
    "innodb_flush_method",
    "STRING",
    "fsync",
    { pattern: "^(fsync|O_DIRECT)$" },
    "Defines the method used to flush data to InnoDB data files and log files, which can affect I/O throughput",
  ),
  setting(
    "innodb_ft_max_token_size",
    "INT",
    "84",
    { int: [10, 84] },
    "The maximum character length of words that are stored in an InnoDB FULLTEXT index.",
  ),
  setting(
    "innodb_ft_min_token_size",
    "INT",
    "3",
    { int: [0, 16] },
    "The minimum character length of words that are stored in an InnoDB FULLTEXT index.",
  ),
  setting(
    "innodb_lock_wait_timeout",
    "INT",
    "50",
    { int: [1, 600], hot: true },
    "The length of time in seconds an InnoDB transaction waits for a row lock before giving up",
  ),
  setting(
    "innodb_print_all_deadlocks",
    "BOOLEAN",
    "OFF",
    { hot: true },
    "Indicates whether information about deadlocks in InnoDB transactions should be included in the server error logs",
  ),
  setting(
    "innodb_stats_persistent_sample_pages",
    "INT",
    "200",
    { int: [20, 1000], hot: true },
    "The number of index pages to sample when estimating cardinality and other statistics for an indexed column",
  ),
  setting(
    "interactive_timeout",
    "INT",
    "21600",
    { int: [60, 21600], hot: true },
    "The number of seconds the server waits for activity on an interactive connection before closing it",
  ),
  setting(
    "local_infile",
    "BOOLEAN",
    "OFF",
    { hot: true },
    "This variable controls server-side LOCAL capability for LOAD DATA statements",
  ),
  setting(
    "lock_wait_timeout",
    "INT",
    "31536000",
    { int: [60, 31536000], hot: true },
    "This variable specifies the timeout in seconds for attempts to acquire metadata locks",
  ),
  setting(
    "log_bin_trust_function_creators",
    "BOOLEAN",
    "OFF",
    { hot: true },
    "This variable controls whether stored function creators can be trusted",
  ),
  setting(
    "long_query_time",
    "FLOAT",
    "10",
    { float: [0, 3600], hot: true },
    "If the slow query log is enabled, the query is logged to the slow query log file if it takes longer than this threshold",
  ),
  setting(
    "max_allowed_packet",
    "INT",
    "64",
    { int: [4, 1024], unit: "M", hot: true },
    "The maximum size (MB) of one packet or any generated/intermediate string, or any parameter sent by the mysql_stmt_send_long_data() C API function",
  ),
  setting(
    "max_connections",
    "INT",
    "100",
    { int: [50, 5000], hot: true },
    "The maximum permitted number of simultaneous client connections",
  ),
  setting(
    "max_digest_length",
    "INT",
    "1024",
    { int: [1024, 8192] },
    "The maximum number of bytes of memory reserved per session for computation of normalized statement digests",
  ),
  setting(
    "max_prepared_stmt_count",
    "INT",
    "16382",
    { int: [16382, 1048576] },
    "Limit the total number of prepared statements in the server",
  ),
  setting(
    "min_examined_row_limit",
    "INT",
    "0",
    { int: [0, 2147483647], hot: true },
    "Queries that examine fewer than this number of rows are not logged to the slow query log.",
  ),
  setting(
    "performance_schema_max_digest_length",
    "INT",
    "1024",
    { int: [1024, 8192] },
    "The maximum number of bytes of memory reserved per statement for computation of normalized statement digest values in the Performance Schema",
  ),
  setting(
    "performance_schema_max_sql_text_length",
    "INT",
    "1024",
    { int: [1024, 8192] },
    "The maximum number of bytes used to store SQL statements",
  ),
  setting("slow_query_log", "BOOLEAN", "OFF", {}, "Whether the slow query log is enabled"),
  setting(
    "sort_buffer_size",
    "INT",
    "262144",
    { int: [32768, 10485760], hot: true },
    "Connection sort buffer memory size. Large buffer slows down most queries that perform sorts.",
  ),
  setting(
    "sql_mode",
    "STRING",
    "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
    {
      pattern:
        "^((ONLY_FULL_GROUP_BY|STRICT_TRANS_TABLES|ALLOW_INVALID_DATES|NO_ZERO_IN_DATE|NO_ZERO_DATE|ERROR_FOR_DIVISION_BY_ZERO|NO_ENGINE_SUBSTITUTION)(,(ONLY_FULL_GROUP_BY|STRICT_TRANS_TABLES|ALLOW_INVALID_DATES|NO_ZERO_IN_DATE|NO_ZERO_DATE|ERROR_FOR_DIVISION_BY_ZERO|NO_ENGINE_SUBSTITUTION))*)?$",
      hot: true,
    },
    "Modes affect the SQL syntax MySQL supports and the data validation checks it performs",
  ),
  setting(
    "table_definition_cache",
    "INT",
    "2000",
    { int: [1000, 20000], hot: true },
    "The number of table definitions that can be stored in the definition cache",
  ),
  setting(
    "table_open_cache",
    "INT",
    "10000",
    { int: [1000, 20000], hot: true },
    "The number of open tables for all threads",
  ),
  setting(
    "table_open_cache_instances",
    "INT",
    "16",
    { int: [1, 16], hot: true },
    "The number of open tables cache instances. Improve scalability by reducing contention among sessions but increase memory usage in case of many triggers or procedures",
  ),
  setting(
    "thread_stack",
    "INT",
    "280",
    { int: [128, 10240], unit: "K" },
    "Defines the stack size for each thread and impact the complexity of the SQL statements that the server can handle.",
  ),
  setting(
    "transaction_isolation",
    "STRING",
    "REPEATABLE-READ",
    { pattern: "^(REPEATABLE-READ|READ-COMMITTED|READ-UNCOMMITTED|SERIALIZABLE)$", hot: true },
    "Define the transaction isolation level which fine-tunes the balance between performance and reliability, consistency, and reproducibility of your database",
  ),
  setting(
    "wait_timeout",
    "INT",
    "21600",
    { int: [60, 21600] },
    "The number of seconds the server waits for activity on a noninteractive connection before closing it",
  ),
];

export const MYSQL_INIT_SETTINGS: readonly EngineSetting[] = [
  setting(
    "lower_case_table_names",
    "INT",
    "0",
    { int: [0, 1] },
    "If set to 0, table names are stored as specified and comparisons are case-sensitive. If set to 1, table names are stored in lowercase on disk and comparisons are not case sensitive.",
  ),
];
