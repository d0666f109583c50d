import { Client } from 'ssh2';
export function start(type: string, host: string, tunnels: Map<string, Client>): Promise<void> {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn.on('ready', () => {
      if (type !== 'local') {
        reject(new Error('unknown type'));
        return;
      }
      tunnels.set(host, conn);
      resolve();
    });
    conn.on('error', reject);
    conn.connect({ host, username: 'root' });
  });
}
