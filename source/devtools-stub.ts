// Ink imports react-devtools-core only when DEV=true; the bundle replaces it
// with this no-op so the CLI has no optional peer to resolve at start-up.
export default {initialize: () => {}, connectToDevTools: () => {}};
