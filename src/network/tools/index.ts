/**
 * The simulated programs, by command name. A place has a program when its image lists it
 * (src/network/images.ts); `/usr/bin/curl` and `curl` are the same program.
 */
import type { Place } from '../place.ts';
import { BASIC_TOOLS } from './basic.ts';
import { curl } from './curl.ts';
import { dig } from './dig.ts';
import { host } from './host.ts';
import { nslookup } from './nslookup.ts';
import type { Tool } from './tool.ts';
import { wget } from './wget.ts';

const TOOLS: Record<string, Tool> = { ...BASIC_TOOLS, curl, wget, dig, nslookup, host };

/** The directories of PATH a bare program name is found in. */
const BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The program a command name runs in a place, if the place has it. */
export function findTool(place: Place, name: string): Tool | undefined {
  let base = name;
  if (name.includes('/')) {
    const dir = name.slice(0, name.lastIndexOf('/'));
    if (!BIN_DIRS.includes(dir)) return undefined;
    base = name.slice(name.lastIndexOf('/') + 1);
  }
  if (!place.image.commands.includes(base)) return undefined;
  return TOOLS[base];
}
