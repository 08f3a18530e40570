import { SCRIPT } from './page-script.js';
import { STYLE } from './page-style.js';

/** Text safe inside HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The dashboard's one HTML document: inline style and script, no build step and nothing fetched from
 * elsewhere. Every URL it calls is relative to where the dashboard is mounted. @internal
 */
export function renderPage(title: string, resources: readonly unknown[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <div id="nodes" class="nodes" aria-label="Nodes"></div>
  <span id="server-time" class="muted"></span>
  <span id="connection" class="connection" data-state="connecting">connecting</span>
</header>
<main>
  <section id="resources" class="cards" aria-label="Resources"></section>
  <section class="records" aria-label="Records">
    <div class="toolbar">
      <label>Resource <select id="resource"></select></label>
      <label>Filter <select id="filter-field"></select></label>
      <input id="filter" type="search" placeholder="value" autocomplete="off">
      <label>Sort <select id="sort">
        <option value="">—</option>
        <option value="inactivityDeadline">inactivity expiry, soonest</option>
        <option value="lifetimeDeadline">lifetime expiry, soonest</option>
        <option value="-lastActivity">last activity, latest</option>
        <option value="-mailboxDepth">mailbox depth, deepest</option>
        <option value="-restarts">restarts, most</option>
      </select></label>
      <span id="record-count" class="muted"></span>
      <span id="records-error" class="error" role="alert"></span>
    </div>
    <div class="scroll">
      <table id="records">
        <thead><tr></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>
  <aside id="detail" hidden aria-label="Record">
    <div class="detail-head">
      <h2 id="detail-title"></h2>
      <button id="keep-alive" type="button">Keep alive</button>
      <button id="detail-close" type="button" aria-label="Close">×</button>
    </div>
    <p id="detail-status" class="muted"></p>
    <dl id="detail-facts"></dl>
    <h3>State</h3>
    <p class="muted">Sensitive attributes are not shown.</p>
    <pre id="detail-state"></pre>
  </aside>
  <section class="events" aria-label="Recent events">
    <h2>Recent events</h2>
    <ol id="events"></ol>
  </section>
</main>
<script id="dashboard-meta" type="application/json">${scriptJson({ resources })}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
