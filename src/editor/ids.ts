/**
 * Every identifier the extension shares with package.json, in one place. A unit test checks these
 * against the manifest's `contributes` in both directions.
 */
export const LANGUAGE_ID = 'nfw-tls-log';
export const DIAGNOSTIC_SOURCE = 'nfw-tls-logs';
/** The status bar item with the active TLS log's counts. */
export const STATUS_BAR_ITEM_ID = 'nfwTlsLogs.summary';
/** The read-only file system that shows a `.log.gz` file's decompressed text. */
export const GZIP_SCHEME = 'nfw-tls-gz';
/** The read-only Markdown documents of the entry details. */
export const ENTRY_DETAILS_SCHEME = 'nfw-tls-entry';
/** The read-only documents that hold one SNI's entries gathered from every source. */
export const SNI_ENTRIES_SCHEME = 'nfw-tls-sni';
/** The read-only documents that show entries fetched by a remote query. */
export const REMOTE_SCHEME = 'nfw-tls-remote';

export const CustomEditors = {
  gzipLog: 'nfwTlsLogs.gzipLog',
} as const;

export const Settings = {
  detectByContent: 'nfwTlsLogs.detectByContent',
  maxDiagnosticsPerFile: 'nfwTlsLogs.diagnostics.maxPerFile',
  diagnosticsSeverity: 'nfwTlsLogs.diagnostics.severity',
  gzipMaxDecompressedMB: 'nfwTlsLogs.gzip.maxDecompressedMB',
  parseWorkerThread: 'nfwTlsLogs.parse.workerThread',
  treeFollowCursor: 'nfwTlsLogs.tree.followCursor',
  treeDefaultSort: 'nfwTlsLogs.tree.defaultSort',
  treeDefaultGroupBy: 'nfwTlsLogs.tree.defaultGroupBy',
  inlayHintsShow: 'nfwTlsLogs.inlayHints.show',
  awsRegion: 'nfwTlsLogs.aws.region',
  awsProfile: 'nfwTlsLogs.aws.profile',
  awsEndpoint: 'nfwTlsLogs.aws.endpoint',
  athenaWorkgroup: 'nfwTlsLogs.athena.workgroup',
  athenaOutputLocation: 'nfwTlsLogs.athena.outputLocation',
  athenaDatabase: 'nfwTlsLogs.athena.database',
  athenaTable: 'nfwTlsLogs.athena.table',
  athenaLocation: 'nfwTlsLogs.athena.location',
  logsInsightsLogGroup: 'nfwTlsLogs.logsInsights.logGroup',
} as const;

export const Commands = {
  openGzipLog: 'nfwTlsLogs.openGzipLog',
  scanFolder: 'nfwTlsLogs.scanFolder',
  clearScans: 'nfwTlsLogs.clearScans',
  rescanFolders: 'nfwTlsLogs.rescanFolders',
  openLogFile: 'nfwTlsLogs.openLogFile',
  nextProblem: 'nfwTlsLogs.nextProblem',
  previousProblem: 'nfwTlsLogs.previousProblem',
  nextRevokedOrUnknown: 'nfwTlsLogs.nextRevokedOrUnknown',
  previousRevokedOrUnknown: 'nfwTlsLogs.previousRevokedOrUnknown',
  nextRevoked: 'nfwTlsLogs.nextRevoked',
  previousRevoked: 'nfwTlsLogs.previousRevoked',
  nextUnknown: 'nfwTlsLogs.nextUnknown',
  previousUnknown: 'nfwTlsLogs.previousUnknown',
  nextTlsError: 'nfwTlsLogs.nextTlsError',
  previousTlsError: 'nfwTlsLogs.previousTlsError',
  goToEntryByTime: 'nfwTlsLogs.goToEntryByTime',
  showEntryDetails: 'nfwTlsLogs.showEntryDetails',
  openSniEntries: 'nfwTlsLogs.openSniEntries',
  goToEntrySource: 'nfwTlsLogs.goToEntrySource',
  sniTreeRefresh: 'nfwTlsLogs.sniTree.refresh',
  sniTreeSort: 'nfwTlsLogs.sniTree.sort',
  sniTreeFilterText: 'nfwTlsLogs.sniTree.filterText',
  sniTreeFilterKind: 'nfwTlsLogs.sniTree.filterKind',
  sniTreeClearFilter: 'nfwTlsLogs.sniTree.clearFilter',
  sniTreeGroupBy: 'nfwTlsLogs.sniTree.groupBy',
  sniTreeOpenEntry: 'nfwTlsLogs.sniTree.openEntry',
  sniTreeCopySni: 'nfwTlsLogs.sniTree.copySni',
  sniTreeCopyFailingSnis: 'nfwTlsLogs.sniTree.copyFailingSnis',
  sniTreeRevealNext: 'nfwTlsLogs.sniTree.revealNext',
  sniTreeRevealPrevious: 'nfwTlsLogs.sniTree.revealPrevious',
  sniTreeRevealCurrentEntry: 'nfwTlsLogs.sniTree.revealCurrentEntry',
  sniTreeExportCsv: 'nfwTlsLogs.sniTree.exportCsv',
  sniTreeExportMarkdown: 'nfwTlsLogs.sniTree.exportMarkdown',
  copyAthenaDdl: 'nfwTlsLogs.copyAthenaDdl',
  queryAthena: 'nfwTlsLogs.queryAthena',
  queryLogsInsights: 'nfwTlsLogs.queryLogsInsights',
  fetchRemoteEntries: 'nfwTlsLogs.remote.fetchEntries',
  clearRemoteResults: 'nfwTlsLogs.remote.clear',
  openExplorer: 'nfwTlsLogs.openExplorer',
  explorerSummaryReport: 'nfwTlsLogs.explorer.summaryReport',
  explorerExportCsv: 'nfwTlsLogs.explorer.exportCsv',
  explorerExportMarkdown: 'nfwTlsLogs.explorer.exportMarkdown',
  explorerCopyFailingSnis: 'nfwTlsLogs.explorer.copyFailingSnis',
} as const;

/** Activity-bar containers (their ids may not contain dots). */
export const ViewContainers = {
  main: 'nfwTlsLogs',
} as const;

export const Views = {
  sniTree: 'nfwTlsLogs.sniTree',
  remote: 'nfwTlsLogs.remote',
} as const;

/** Context keys set with `setContext` and read by `when` clauses in package.json. */
export const ContextKeys = {
  sniTreeHasSources: 'nfwTlsLogs.sniTree.hasSources',
  sniTreeFiltered: 'nfwTlsLogs.sniTree.filtered',
} as const;
