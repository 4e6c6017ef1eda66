// Ink imports react-devtools-core (and, for its window polyfill, ws) only when
// DEV=true; the bundle replaces both with this no-op so the CLI has no
// optional peer to resolve and 48 KB less to parse at start-up.
export default {initialize: () => {}, connectToDevTools: () => {}};
