/** The dashboard's style sheet, inlined in the page. @internal */
export const STYLE = `
:root { --fg: #1d2330; --muted: #6b7385; --bg: #f6f7f9; --card: #fff; --line: #e1e4ea; --accent: #2f6fdb;
  --warn: #c76a00; --bad: #c62828; --good: #2e7d32; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); }
body { margin: 0; background: var(--bg); }
header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: var(--card);
  border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; flex: 0 0 auto; }
.nodes { flex: 1 1 auto; display: flex; gap: 8px; }
.nodes .node { padding: 2px 8px; border: 1px solid var(--line); border-radius: 10px; font-size: 12px; }
.muted { color: var(--muted); }
.error { color: var(--bad); }
.connection { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: var(--line); }
.connection[data-state="live"] { background: #dff3e2; color: var(--good); }
.connection[data-state="lost"] { background: #fde2e1; color: var(--bad); }
main { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 16px; padding: 16px 20px; }
.cards { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  min-width: 220px; cursor: pointer; }
.card.selected { border-color: var(--accent); }
.card h2 { font-size: 14px; margin: 0 0 4px; }
.card .figures { display: flex; gap: 14px; }
.card .figure b { display: block; font-size: 20px; }
.card svg { display: block; margin-top: 6px; }
.card .legend { font-size: 11px; }
.card .legend .live { color: var(--accent); }
.card .legend .calls { color: var(--warn); }
.records, .events, aside { background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  padding: 10px 12px; min-width: 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 8px; }
/* Many attributes: the table scrolls sideways instead of running under the detail panel. */
.scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; max-width: 220px; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
tbody tr { cursor: pointer; }
tbody tr:hover, tbody tr.selected { background: #eef3fc; }
.countdown.soon { color: var(--bad); font-weight: 600; }
aside { grid-row: span 2; }
.detail-head { display: flex; gap: 8px; align-items: center; }
.detail-head h2 { flex: 1; font-size: 15px; margin: 0; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; }
dt { color: var(--muted); }
dd { margin: 0; font-variant-numeric: tabular-nums; }
pre { background: var(--bg); padding: 8px; overflow: auto; max-height: 320px; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: var(--card);
  cursor: pointer; }
#keep-alive { border-color: var(--accent); color: var(--accent); }
.events h2 { font-size: 14px; margin: 0 0 6px; }
.events ol { list-style: none; margin: 0; padding: 0; max-height: 320px; overflow: auto; font-size: 13px; }
.events li { padding: 2px 0; border-bottom: 1px solid var(--line); }
.events .type { display: inline-block; min-width: 70px; font-weight: 600; }
.events [data-type="created"] .type { color: var(--good); }
.events [data-type="expired"] .type, .events [data-type="removed"] .type { color: var(--warn); }
.events [data-type="crashed"] .type { color: var(--bad); }
`;
