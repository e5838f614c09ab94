// Opens a module file for the CLI without trusting what the path names: only a regular
// file is read (a FIFO without a writer would block forever, /dev/zero never ends), its
// size is checked against the limit and its first bytes against the magic and version
// before the rest is read, and the rest is read into one buffer of the size fstat gave.

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { DecodeError } from "../analysis/binary-cursor";
import { isComponent, readComponent } from "../analysis/component-reader";
import {
  checkPreamble,
  MAX_MODULE_BYTES,
  moduleSizeError,
  PREAMBLE_BYTES,
  readModule,
} from "../analysis/module-reader";
import type { CliIo } from "./cli-io";
import { grouped, hex } from "../../common/format";

/** Why a file was not read, in words for an `error:` line. */
export class ModuleFileError extends Error {}

/** Reads the module at `file` or throws ModuleFileError (or DecodeError for a file that is
 *  not a WebAssembly module, naming the offset). */
export function readModuleFile(file: string, maxBytes = MAX_MODULE_BYTES): Uint8Array {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once instead of waiting for a
    // writer; no controlling terminal if the path is a tty.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new ModuleFileError(openFailure(error as NodeJS.ErrnoException));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new ModuleFileError(`not a regular file (${fileKind(stats)})`);
    const sizeError = moduleSizeError(stats.size, maxBytes);
    if (sizeError) throw new ModuleFileError(sizeError);
    const bytes = new Uint8Array(stats.size);
    const head = readFully(fd, bytes.subarray(0, Math.min(PREAMBLE_BYTES, stats.size)), 0);
    // A component is read whole too: `inspect` looks inside it for its core modules.
    if (!isComponent(bytes.subarray(0, head))) checkPreamble(bytes.subarray(0, head));
    const length = head + readFully(fd, bytes.subarray(head), head);
    if (length < stats.size) {
      throw new ModuleFileError(
        `the file shrank while it was read: ${grouped(length)} of ${grouped(stats.size)} bytes`,
      );
    }
    return bytes;
  } catch (error) {
    if (error instanceof DecodeError || error instanceof ModuleFileError) throw error;
    throw new ModuleFileError((error as Error).message);
  } finally {
    closeSync(fd);
  }
}

/** A module to run (`run`, `lab`): read and decoded here, so malformed input is reported
 *  with its offset before a runner starts; null after the `error:` line was written. */
export function readRunnableModule(
  file: string,
  io: CliIo,
  /** Why this command cannot run a component, or null when it can. */
  componentRefusal: string | null,
): Uint8Array | null {
  try {
    const bytes = readModuleFile(file);
    if (!isComponent(bytes)) {
      readModule(bytes);
      return bytes;
    }
    if (componentRefusal !== null)
      throw new ModuleFileError(`this is a WebAssembly component: ${componentRefusal}`);
    readComponent(bytes);
    return bytes;
  } catch (error) {
    io.stderr(`error: ${file}: ${moduleFileErrorText(error)}`);
    return null;
  }
}

/** The words of an `error:` line for a file that could not be read, whatever failed. */
export function moduleFileErrorText(error: unknown): string {
  if (error instanceof DecodeError) return `${error.message} (at byte ${hex(error.offset)})`;
  if (error instanceof ModuleFileError) return error.message;
  throw error;
}

/** Reads into `into` until it is full or the file ends; returns the bytes read. */
function readFully(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const read = readSync(fd, into, done, into.length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}

function openFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
      return "permission denied";
    case "ENXIO":
      return "not a regular file (a socket or a device without a driver)";
    default:
      return error.message;
  }
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}
