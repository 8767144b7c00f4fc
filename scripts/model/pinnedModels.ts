// The models `npm install` provides: pinned files (sha256, size) and the manifest each becomes.
// Today these are the two ImageNet CNN trunks this network has (../shared/models); CLIP/DINO
// encoders are added with `npm run model -- add`.
import type { ModelManifest } from '../../src/encoders/manifest.ts';

export interface PinnedFile {
  /** file name inside the model folder */
  name: string;
  sha256: string;
  bytes: number;
  /** path relative to a models source folder (MUSCOPE_MODELS_FROM or ../shared/models) */
  sourcePath: string;
  /** path relative to MUSCOPE_MODELS_URL for users who install online */
  urlPath: string;
}

export interface CatalogEntry {
  /** preference when choosing the default model: higher is better */
  rank: number;
  files: PinnedFile[];
  manifest: Omit<ModelManifest, 'variants'>;
}

/**
 * Release mirror for the converted trunks. They are derived files (see the models' READMEs), so
 * the only online source is a mirror we publish; override it with MUSCOPE_MODELS_URL.
 */
export const DEFAULT_MODELS_URL = 'https://github.com/muscope/muscope-models/releases/download/trunks-v1/';

const IMAGENET = {
  insideGraph: true,
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
};

export const CATALOG: CatalogEntry[] = [
  {
    rank: 20,
    files: [
      {
        name: 'model.onnx',
        sha256: 'd947f2531937f2f4d83ad87ca95bc63dfed76c9d8eace67600be0c9dc21b0248',
        bytes: 34_238_437,
        sourcePath: 'resnet50v2-imagenet-trunk/resnet50v2_trunk.onnx',
        urlPath: 'resnet50v2_trunk.onnx',
      },
    ],
    manifest: {
      schema: 1,
      id: 'resnet50v2-imagenet-trunk',
      displayName: 'ResNet50-v2 trunk (ImageNet)',
      family: 'cnn',
      fixture: false,
      license: 'Apache-2.0 (ONNX Model Zoo resnet50-v2-7 weights, via W3C webmachinelearning/test-data)',
      source: 'shared/models/resnet50v2-imagenet-trunk (stem + stages 1-3 of ResNet50-v2)',
      input: { name: 'image', size: 224, layout: 'nchw', resize: 'bilinear', normalization: IMAGENET },
      taps: [
        { name: 'stage2_act', layout: 'nchw', grid: 14, dim: 512, hasCls: false, registers: 0, stride: 8 },
        { name: 'stage3_act', layout: 'nchw', grid: 14, dim: 1024, hasCls: false, registers: 0, stride: 16 },
      ],
      embedding: {
        name: 'stage3_act',
        source: 'global-average-of-tap',
        dim: 1024,
        normalized: false,
        l2Normalize: true,
      },
      notes:
        'CNN trunk: taps resampled to a 14x14 grid; RsCIN embedding = L2-normalised global average of stage3_act (docs/method.md §4).',
    },
  },
  {
    rank: 10,
    files: [
      {
        name: 'model.onnx',
        sha256: 'f57d51ef85fef6f672a1302276c86476351fab8f739d2ab572b695a79fc4d95d',
        bytes: 8_861_227,
        sourcePath: 'mobilenetv2-imagenet-trunk/mobilenetv2_trunk.onnx',
        urlPath: 'mobilenetv2_trunk.onnx',
      },
    ],
    manifest: {
      schema: 1,
      id: 'mobilenetv2-imagenet-trunk',
      displayName: 'MobileNetV2 trunk (ImageNet)',
      family: 'cnn',
      fixture: false,
      license: 'Apache-2.0 (ONNX Model Zoo mobilenetv2-1.0 weights, via W3C webmachinelearning/test-data)',
      source: 'shared/models/mobilenetv2-imagenet-trunk (MobileNetV2 1.0 features)',
      input: { name: 'image', size: 224, layout: 'nchw', resize: 'bilinear', normalization: IMAGENET },
      taps: [
        { name: 's8', layout: 'nchw', grid: 14, dim: 32, hasCls: false, registers: 0, stride: 8 },
        { name: 's16', layout: 'nchw', grid: 14, dim: 96, hasCls: false, registers: 0, stride: 16 },
      ],
      embedding: { name: 's16', source: 'global-average-of-tap', dim: 96, normalized: false, l2Normalize: true },
      notes:
        'CNN trunk, about 10x cheaper than ResNet50; RsCIN embedding = L2-normalised global average of s16 (docs/method.md §4).',
    },
  },
];
