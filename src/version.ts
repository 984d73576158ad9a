/** The SDK's version, sent as `User-Agent: letterapp-node/<version>`; a test keeps it equal to package.json's. */
export const VERSION = '0.1.0';
