// Encoders `npm run model -- add <name>` can install: a Hugging Face ONNX export at a fixed revision,
// pinned by sha256. An entry without a trustworthy sha256 is unpinned, and its download is refused.
import type { VitFamily } from '../../src/encoders/import/families.ts';

export interface CatalogEntry {
  name: string;
  displayName: string;
  family: VitFamily;
  /** input side used when the export's size is dynamic (a multiple of the patch) */
  size: number;
  license: string;
  upstream: { repo: string; revision: string; file: string };
  /** the file's sha256 and size at that revision; absent: no value we could vouch for was found */
  pin?: { sha256: string; bytes: number; provenance: string };
}

export const modelCatalog: readonly CatalogEntry[] = [
  {
    name: 'clip-vit-base-patch16',
    displayName: 'CLIP ViT-B/16 (OpenAI), 224 px',
    family: 'clip',
    // HF's CLIP export has fixed position embeddings: it runs at its native 224 only.
    size: 224,
    license: 'MIT (OpenAI CLIP)',
    // transformers.js export of CLIPVisionModelWithProjection (outputs image_embeds, last_hidden_state).
    // No published revision + sha256 could be found offline: unpinned, so `add` needs --from.
    upstream: { repo: 'Xenova/clip-vit-base-patch16', revision: 'main', file: 'onnx/vision_model.onnx' },
  },
  {
    name: 'dinov2-small',
    displayName: 'DINOv2 ViT-S/14 (Meta), 336 px',
    family: 'dinov2',
    // MuSc ran DINOv2 at 336 and 518 (docs/method.md §2); 336 gives the 24×24 grid.
    size: 336,
    license: 'Apache-2.0 (Meta DINOv2)',
    upstream: {
      repo: 'onnx-community/dinov2-small',
      revision: '8b1f705a3a7f6f062f6bdd21986c1583d3ef105d',
      file: 'onnx/model.onnx',
    },
    pin: {
      sha256: 'f22797eabf810a75e41de68d378541ebea372122b25c4ce3ef25ff618250c20a',
      bytes: 88_532_934,
      provenance:
        'LFS sha256 and size as pinned at this revision by public projects (two agree); not re-hashed here, checked on every download',
    },
  },
  {
    name: 'dinov2-base',
    displayName: 'DINOv2 ViT-B/14 (Meta), 336 px',
    family: 'dinov2',
    size: 336,
    license: 'Apache-2.0 (Meta DINOv2)',
    upstream: {
      repo: 'onnx-community/dinov2-base',
      revision: '31ef06cac16d5d301c5930d147002a058c85a5e4',
      file: 'onnx/model.onnx',
    },
    pin: {
      sha256: '320d1012a6fc65b101fc85ca30ee7a47b2e4f6a2e8bd78fb9d7036def0e30cb0',
      bytes: 346_627_111,
      provenance:
        'LFS sha256 and size as pinned at this revision by a public project; not re-hashed here, checked on every download',
    },
  },
];

export function catalogEntry(name: string | undefined): CatalogEntry {
  const entry = modelCatalog.find((e) => e.name === name);
  if (!entry)
    throw new Error(
      `${name ? `no model named ${name}` : 'name a model'}: one of ${modelCatalog.map((e) => e.name).join(', ')}`,
    );
  return entry;
}

/** `endpoint` is the Hub or a mirror of it (HF_ENDPOINT, as the Hugging Face tools read it). */
export function downloadUrl(
  entry: CatalogEntry,
  endpoint = process.env.HF_ENDPOINT ?? 'https://huggingface.co',
): string {
  const { repo, revision, file } = entry.upstream;
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/${revision}/${file}`;
}
