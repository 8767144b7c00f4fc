// An export whose weights lie in external-data files beside its .onnx (torch.onnx and optimum
// write them for models over 2 GB, or when asked): each weight becomes a view of its bytes in
// the data file's buffer, nothing copied, and from then on the export is like one with its
// weights inside: model.onnx is written as one file.
import { DataLocation, DataType, elementCount, externalPlace, type onnx, tensorDims } from '../onnx/index.ts';
import { ImportError } from './errors.ts';

/** The external-data files given with an export, by file name (a location's last path segment). */
export type DataFiles = ReadonlyMap<string, Uint8Array>;

const lastSegment = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** The data files the export's weights are in, as its graph names them. */
export function externalDataLocations(graph: onnx.IGraphProto): string[] {
  const locations = new Set<string>();
  for (const tensor of graph.initializer ?? [])
    if (tensor.dataLocation === DataLocation.EXTERNAL) locations.add(externalPlace(tensor).location);
  return [...locations];
}

/** Bytes one element of a tensor takes, by ONNX data type; 0 where not fixed. */
const ELEMENT_BYTES: Partial<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4,
  [DataType.UINT64]: 8,
  [DataType.BFLOAT16]: 2,
};

/**
 * Moves every external weight of `graph` inside, as a view of the data file it lies in. Throws an
 * ImportError naming the file for a data file not given ('missing-data') and for one too short
 * for what the graph reads of it ('truncated').
 */
export function bringWeightsInside(graph: onnx.IGraphProto, files: DataFiles, fileName: string): void {
  for (const tensor of graph.initializer ?? []) {
    if (tensor.dataLocation !== DataLocation.EXTERNAL) continue;
    const { location, offset, length } = externalPlace(tensor);
    const data = files.get(lastSegment(location));
    if (!data) {
      const all = externalDataLocations(graph);
      throw new ImportError(
        'missing-data',
        `${fileName} keeps its weights in ${all.length === 1 ? 'a separate file' : `${all.length} separate files`}, ${all.join(', ')}, which ${all.length === 1 ? 'was' : 'were'} not given with it: choose ${fileName} and ${all.length === 1 ? 'that file' : 'those files'} together (all the files of the export).`,
      );
    }
    const size = length ?? elementCount(tensorDims(tensor)) * (ELEMENT_BYTES[tensor.dataType ?? 0] ?? 0);
    if (!(offset >= 0 && size >= 0 && offset + size <= data.length))
      throw new ImportError(
        'truncated',
        `${lastSegment(location)} is cut short: ${fileName} reads ${size} bytes of it from byte ${offset}, and it has ${data.length}. Copy the whole export again.`,
      );
    tensor.rawData = data.subarray(offset, offset + size);
    tensor.externalData = [];
    // absent, as in an export with its weights inside: the default location is DEFAULT
    Reflect.deleteProperty(tensor, 'dataLocation');
  }
}
