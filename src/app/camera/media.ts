// The camera through getUserMedia: which cameras there are, opening one, and what to tell the
// user when it fails. getUserMedia needs a secure context (https, or localhost), which MuScope
// already needs for its service worker; nothing leaves the machine.

export interface CameraChoice {
  deviceId: string;
  label: string;
}

export const REFUSED_MESSAGE =
  "Camera access was refused. Allow the camera for this page in the browser's site settings, or drop photos instead.";
export const NO_CAMERA_MESSAGE =
  'No camera was found. Connect a camera (or close other programs that use it) and open the camera again, or drop photos instead.';

/** A plain sentence for a failed getUserMedia. */
export function cameraErrorMessage(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return REFUSED_MESSAGE;
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return NO_CAMERA_MESSAGE;
  if (name === 'NotReadableError' || name === 'AbortError')
    return 'The camera is busy or could not start. Close other programs that use it and open the camera again.';
  if (!navigator.mediaDevices?.getUserMedia)
    return 'This page cannot use a camera here: open it over https or on localhost, in a browser with camera support.';
  return `The camera could not be opened: ${err instanceof Error ? err.message : String(err)}`;
}

/** The video inputs; labels are filled only once the page may use a camera. */
export async function listCameras(): Promise<CameraChoice[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

/** Opens a camera (the given one, or the browser's default) at a resolution good enough to inspect. */
export async function openCamera(deviceId: string | null): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('no getUserMedia');
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      width: { ideal: 1280 },
      height: { ideal: 960 },
    },
  });
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
