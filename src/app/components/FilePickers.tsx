import { useRef } from 'react';
import type { ModelManifest } from '../../encoders/manifest.ts';
import type { ImageRole } from '../../worker/protocol.ts';
import { filesFromList } from '../intake/collect.ts';
import { addFiles } from '../run/controller.ts';

interface Props {
  manifest: ModelManifest | undefined;
  /** what the picked images become: images to inspect, or known-good references */
  role?: ImageRole;
  labels: { files: string; folder: string };
  /** test ids of the two hidden inputs, and of the files button when it has one */
  testIds: { files: string; folder: string; filesButton?: string };
  /** the files button is the page's main action */
  primary?: boolean;
}

/** Hidden file and folder inputs and the buttons that open them; what is picked joins the batch. */
export function FilePickers({ manifest, role = 'query', labels, testIds, primary }: Props) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const pick = (input: HTMLInputElement) => {
    void addFiles(filesFromList(input.files ?? [], input === folder.current), manifest, role);
    input.value = '';
  };
  return (
    <>
      <input
        ref={files}
        type="file"
        multiple
        accept="image/*,video/*"
        hidden
        data-testid={testIds.files}
        onChange={(e) => pick(e.currentTarget)}
      />
      <input
        ref={(el) => {
          folder.current = el;
          el?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        hidden
        data-testid={testIds.folder}
        onChange={(e) => pick(e.currentTarget)}
      />
      <button
        type="button"
        className={primary ? 'primary' : ''}
        onClick={() => files.current?.click()}
        data-testid={testIds.filesButton}
      >
        {labels.files}
      </button>
      <button type="button" onClick={() => folder.current?.click()}>
        {labels.folder}
      </button>
    </>
  );
}
