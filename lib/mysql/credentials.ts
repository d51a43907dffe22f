/** The data of the `mySqlApi` credential, as n8n hands it to a node. */
export interface MySqlCredentialData {
	host: string;
	port: number;
	database?: string;
	user: string;
	password?: string;
	/** 'disabled': plain TCP; 'required': TLS without checking the certificate; 'verify': TLS checked against the CA. */
	ssl?: 'disabled' | 'required' | 'verify';
	caCertificate?: string;
	/** A UTC offset such as `+08:00`, or an IANA zone name. */
	timezone?: string;
	/** Milliseconds to wait for the TCP connection and handshake. */
	connectTimeout?: number;
}

/** `host:port` as a user would type it (for messages). */
export function describeServer(cred: Pick<MySqlCredentialData, 'host' | 'port'>): string {
	return `${cred.host}:${cred.port ?? 3306}`;
}
