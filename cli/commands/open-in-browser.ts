/** `impulse report --open`: the page in the user's browser ($BROWSER, else the desktop's opener). */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

function opener(): { command: string; args: string[] } {
  const browser = process.env['BROWSER'];
  if (browser) return { command: browser, args: [] };
  if (process.platform === 'darwin') return { command: 'open', args: [] };
  if (process.platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/** Starts the browser detached; resolves false (with nothing thrown) when no opener could start. */
export function openInBrowser(file: string): Promise<boolean> {
  const { command, args } = opener();
  return new Promise((resolve) => {
    try {
      const child = spawn(command, [...args, pathToFileURL(file).href], { detached: true, stdio: 'ignore' });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
