import { pageScript } from './pageScript.js';

const styles = `
  :root { font-family: system-ui, sans-serif; color: #1b1f24; background: #f4f6f8; }
  body { margin: 0; }
  header.top { padding: 12px 20px; background: #0f3d63; color: white; display: flex; gap: 16px; align-items: baseline; }
  header.top h1 { font-size: 18px; margin: 0; }
  header.top small { opacity: .8; }
  main { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(360px, 1.2fr); gap: 16px; padding: 16px 20px; }
  #phones { display: flex; flex-direction: column; gap: 12px; }
  .phone { background: white; border-radius: 10px; padding: 12px; box-shadow: 0 1px 3px #0002; }
  .phone header { display: flex; gap: 8px; align-items: baseline; }
  .phone .status { margin-left: auto; font-size: 12px; padding: 2px 8px; border-radius: 9px; background: #e6e9ee; }
  .phone[data-status="inCall"] .status { background: #c9f1d3; }
  .phone[data-status="ringing"] .status { background: #ffe3a3; }
  .controls { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
  .keypad { display: grid; grid-template-columns: repeat(3, 56px); gap: 6px; margin: 8px 0; }
  .keypad button { height: 40px; font-size: 18px; }
  button { padding: 6px 10px; border-radius: 6px; border: 1px solid #b8c0cc; background: #fff; cursor: pointer; }
  button:disabled { opacity: .45; cursor: default; }
  .hangup:not(:disabled) { background: #d93b3b; color: white; border-color: #b02a2a; }
  .dial:not(:disabled), .answer:not(:disabled) { background: #1f8f4e; color: white; border-color: #16713c; }
  .say { display: flex; gap: 6px; }
  .say input { flex: 1; padding: 6px; }
  .prompts { max-height: 160px; overflow: auto; margin: 4px 0; padding-left: 20px; }
  .phone h3 { font-size: 13px; margin: 8px 0 0; color: #555; }
  aside section { background: white; border-radius: 10px; padding: 12px; box-shadow: 0 1px 3px #0002; margin-bottom: 12px; }
  aside h2, #phones-title { font-size: 15px; margin: 0 0 8px; }
  #calls { list-style: none; padding: 0; margin: 0; }
  #calls > li { padding: 6px 0; border-bottom: 1px solid #eee; }
  #calls > li[data-state="disconnected"] { opacity: .55; }
  #timeline { list-style: none; padding: 0; margin: 0; max-height: 60vh; overflow: auto; font-size: 13px; }
  #timeline li { display: grid; grid-template-columns: 96px 170px 1fr; gap: 6px; padding: 3px 0; border-bottom: 1px solid #f0f0f0; }
  #timeline li small { grid-column: 2 / 4; color: #888; }
  #timeline .type { color: #0f3d63; }
  #add-phone { display: flex; gap: 6px; margin-top: 12px; }
  #add-phone input { padding: 6px; }
  .phone[data-hold="true"] .status { background: #cfe0ff; }
  .where { margin: 6px 0; padding: 6px 8px; border-radius: 6px; background: #eef4ff; font-size: 14px; }
  #bot-errors { grid-column: 1 / -1; background: #fff1f1; border: 1px solid #d93b3b; border-radius: 10px; padding: 8px 12px; }
  #bot-errors h2 { font-size: 15px; margin: 0 0 4px; color: #a32020; }
  #bot-errors ol { margin: 0; padding-left: 20px; max-height: 200px; overflow: auto; }
  #bot-errors pre { white-space: pre-wrap; word-break: break-word; margin: 2px 0 6px; font-size: 12px; }
  @media (max-width: 760px) {
    header.top { flex-wrap: wrap; gap: 4px 12px; padding: 10px 12px; }
    header.top label { margin-left: 0 !important; }
    main { grid-template-columns: minmax(0, 1fr); padding: 10px; gap: 10px; }
    .keypad { grid-template-columns: repeat(3, minmax(0, 1fr)); }
    .keypad button { height: 48px; }
    #add-phone { flex-wrap: wrap; }
    #add-phone input { flex: 1 1 140px; min-width: 0; }
    #timeline li { grid-template-columns: 92px minmax(0, 1fr); }
    #timeline li .summary { grid-column: 1 / -1; }
    #timeline li small { grid-column: 1 / -1; }
    #error { left: 10px; right: 10px; bottom: 10px; }
    code { word-break: break-all; }
  }
  #error { position: fixed; bottom: 16px; right: 16px; background: #d93b3b; color: white; padding: 10px 14px; border-radius: 8px; }
`;

/** The dev phone's single page: phones on the left, the bot's calls and the event timeline on the right. */
export const devPhonePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard dev phone</title>
<style>${styles}</style>
</head>
<body>
<header class="top">
  <h1>Switchboard dev phone</h1>
  <small id="description"></small>
  <label style="margin-left:auto"><input type="checkbox" id="speak" checked> Speak prompts</label>
</header>
<main>
  <section id="bot-errors" role="alert" hidden><h2>The bot failed (the dev phone keeps running)</h2><ol></ol></section>
  <div>
    <h2 id="phones-title">Phones</h2>
    <div id="phones"></div>
    <form id="add-phone">
      <input id="new-number" placeholder="+14255550123" aria-label="Phone number" required>
      <input id="new-name" placeholder="Name" aria-label="Name">
      <button type="submit">Add a phone</button>
    </form>
  </div>
  <aside>
    <section><h2>Calls and rosters</h2><ul id="calls"></ul></section>
    <section><h2>Timeline of unified events</h2><ol id="timeline"></ol></section>
  </aside>
</main>
<div id="error" role="alert" hidden></div>
<script type="module">${pageScript}</script>
</body>
</html>
`;
