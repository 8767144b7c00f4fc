// Files from the ways an inspector hands them over: drag and drop (files or whole folders,
// walked with webkitGetAsEntry), the file and folder pickers, and the clipboard. Each file keeps
// its path inside a dropped folder, which the MVTec layout detection needs.

export interface IncomingFile {
  file: File;
  /** path relative to what was dropped or picked, '/'-separated; the file name for loose files */
  path: string;
}

/** What one drop or pick handed over: its files, and the folders in it that held none. */
export interface Handover {
  files: IncomingFile[];
  /** folders dropped that held no file (hidden ones aside), or the picked folder when it held none */
  emptyFolders: string[];
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, into: IncomingFile[]): Promise<void> {
  if (entry.isFile) {
    into.push({ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most 100 entries per call: call until it returns none.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) if (!child.name.startsWith('.')) await walk(child, into);
  }
}

/** Must be called synchronously in the drop handler: the items are gone after it returns. */
export function filesFromDataTransfer(data: DataTransfer): Promise<Handover> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    const file = item.getAsFile();
    if (entry) entries.push(entry);
    else if (file) loose.push(file);
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(data.files));
  return (async () => {
    const files = loose.map((file) => ({ file, path: file.name }));
    const emptyFolders: string[] = [];
    for (const entry of entries) {
      const before = files.length;
      await walk(entry, files);
      if (entry.isDirectory && files.length === before) emptyFolders.push(entry.name);
    }
    return { files, emptyFolders };
  })();
}

/** Files handed over one by one (a paste, the demo set, a capture): no folder among them. */
export const loose = (files: IncomingFile[]): Handover => ({ files, emptyFolders: [] });

/** What a folder pick that held no file is called: the input does not say which folder it was. */
const PICKED_FOLDER = 'the chosen folder';

/** From an <input type=file>; folder pickers fill webkitRelativePath. */
export function filesFromList(list: FileList | readonly File[], folder: boolean): Handover {
  const files = Array.from(list).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  return { files, emptyFolders: folder && files.length === 0 ? [PICKED_FOLDER] : [] };
}

/** Pasted images get a generated name when the clipboard gives none. */
export function filesFromClipboard(data: DataTransfer): IncomingFile[] {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return Array.from(data.files).map((file, i) => {
    const name =
      file.name && file.name !== 'image.png'
        ? file.name
        : `pasted-${stamp}-${i + 1}.${file.type.split('/')[1] ?? 'png'}`;
    const named = file.name === name ? file : new File([file], name, { type: file.type });
    return { file: named, path: name };
  });
}
