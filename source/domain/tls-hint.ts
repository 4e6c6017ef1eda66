// What to do about a TLS failure, in redis-cli's flags: Node's error says
// what is wrong with a certificate, not which option of tcmon fixes it.

const CA_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);

/** How the connection was made: a reset or a timeout means something else over TLS. */
export type TlsContext = {tls: boolean; clientCert: boolean};

/** The flag to use for a TLS error (its code and message), or null when it is not one. */
export const tlsHint = (code: string | undefined, message: string, context: TlsContext = {tls: true, clientCert: false}): string | null => {
	if (code && CA_CODES.has(code)) return "the server's certificate is not signed by a known CA: use --cacert FILE (the CA that signed it) or --insecure";
	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return "the server's certificate is for another name: use --sni NAME (a name it holds) or --insecure";
	if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return "the server's certificate is out of its validity dates: renew it, or use --insecure";
	if (/certificate required|alert bad certificate|alert handshake failure|peer did not return a certificate/i.test(message)) {
		return 'the server wants a client certificate: use --cert FILE --key FILE';
	}
	if (/unknown ca|alert certificate unknown/i.test(message)) return 'the server does not trust the client certificate (--cert): it must be signed by a CA the server knows';
	if (/wrong version number|packet length too long|unknown protocol|record layer failure/i.test(message)) return 'the server does not speak TLS on this port: drop --tls (and rediss://), or use its tls-port';
	if (/key values mismatch/i.test(message)) return '--cert and --key do not belong together';
	if (/PEM routines|DECODER routines|no start line|bad base64 decode/i.test(message)) return '--cacert, --cert and --key take PEM files (a certificate, a private key)';
	if (!context.tls) return null;
	// TLS 1.3: a server that wants a client certificate closes the connection after the handshake.
	if (!context.clientCert && (code === 'ECONNRESET' || /ECONNRESET|socket hang up/.test(message))) {
		return 'the server closed the TLS connection: if it asks for client certificates (tls-auth-clients), use --cert FILE --key FILE';
	}
	// A plain port never answers a TLS hello: the connect times out.
	if (code === 'ETIMEDOUT' || /ETIMEDOUT/.test(message)) return 'no TLS answer: does the server speak TLS on this port (its tls-port)?';
	return null;
};

/** `text` (the error's message) with what to do about it when it is a TLS error. */
export const withTlsHint = (error: unknown, text: string, context: TlsContext): string => {
	const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as {code: unknown}).code) : undefined;
	const hint = tlsHint(code, text, context);
	return hint ? `${text} (${hint})` : text;
};
