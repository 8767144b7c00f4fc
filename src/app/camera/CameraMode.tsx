import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelManifest } from '../../encoders/manifest.ts';
import { useBatchStore } from '../batch/batchStore.ts';
import { useResults } from '../results/useResults.ts';
import { loose } from '../intake/collect.ts';
import { addFiles } from '../run/controller.ts';
import { useCaptureStore, nextCaptureName } from './captureStore.ts';
import { captureFrame, hasFrame, sampleContext, sampleGrey, type Roi } from './frame.ts';
import { LatestVerdict } from './LatestVerdict.tsx';
import {
  cameraErrorMessage,
  listCameras,
  NO_CAMERA_MESSAGE,
  openCamera,
  stopStream,
  type CameraChoice,
} from './media.ts';
import { createStillnessDetector, MOTION_LEVEL, SAMPLE_FPS, STILL_MS } from './motion.ts';
import { RoiOverlay } from './RoiOverlay.tsx';
import './camera.css';

/** Keys typed into these keep their own meaning: the space bar there is not a capture. */
const typingOrPressing = (target: EventTarget | null) =>
  target instanceof HTMLElement && !!target.closest('button, input, select, textarea, [contenteditable="true"]');

/**
 * Camera mode: live preview, an optional region of interest, capture on a button, the space bar
 * or automatically, and the latest verdict. Each capture is a PNG added to the batch like a
 * dropped photo, so it is scored incrementally (only its own pairs) and joins gallery and export.
 */
export function CameraMode({ manifest }: { manifest: ModelManifest | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <section className={`camera${open ? ' camera-open' : ''}`}>
      <button
        type="button"
        className={open ? 'active' : ''}
        aria-pressed={open}
        onClick={() => setOpen(!open)}
        data-testid="camera-mode"
      >
        {open ? 'Close camera' : 'Camera…'}
      </button>
      {open && <CameraPanel manifest={manifest} />}
    </section>
  );
}

function CameraPanel({ manifest }: { manifest: ModelManifest | undefined }) {
  const video = useRef<HTMLVideoElement>(null);
  const [cameras, setCameras] = useState<CameraChoice[]>([]);
  // The camera the user chose (null: the browser's default), and the one actually open.
  const [chosen, setChosen] = useState<string | null>(null);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [roi, setRoi] = useState<Roi | null>(null);
  const [auto, setAuto] = useState(false);
  const [captureError, setCaptureError] = useState<string | null>(null);
  const results = useResults();
  const addCapture = useCaptureStore((s) => s.add);

  // Open the chosen camera; stop it when the mode closes or another camera is chosen.
  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    const el = video.current;
    void (async () => {
      try {
        const opened = await openCamera(chosen);
        if (cancelled) return stopStream(opened);
        stream = opened;
        if (el) {
          el.srcObject = opened;
          // Autoplay of a muted stream is allowed; a refusal only delays the preview.
          await el.play().catch(() => undefined);
        }
        setLive(true);
        // Only now are the labels known: the page may use a camera.
        const found = await listCameras();
        if (cancelled) return;
        setCameras(found);
        setDeviceId(opened.getVideoTracks()[0]?.getSettings().deviceId ?? null);
      } catch (err) {
        if (cancelled) return;
        const noneThere = await listCameras().then(
          (found) => found.length === 0,
          () => false,
        );
        setError(
          noneThere && !(err instanceof DOMException && err.name === 'NotAllowedError')
            ? NO_CAMERA_MESSAGE
            : cameraErrorMessage(err),
        );
      }
    })();
    return () => {
      cancelled = true;
      stopStream(stream);
      if (el) el.srcObject = null;
    };
  }, [chosen]);

  const capture = useCallback(async () => {
    const el = video.current;
    if (!hasFrame(el)) return;
    const takenAt = performance.now();
    const names = [
      ...useBatchStore.getState().images.map((i) => i.path),
      ...useCaptureStore.getState().captures.map((c) => c.name),
    ];
    const name = nextCaptureName(names);
    addCapture({ name, takenAt, verdictAfterMs: null });
    try {
      const file = await captureFrame(el, roi, name);
      await addFiles(loose([{ file, path: name }]), manifest);
      setCaptureError(null);
    } catch (err) {
      setCaptureError(`The frame could not be captured: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, [roi, manifest, addCapture]);

  // The space bar captures, unless it is pressing a focused control.
  useEffect(() => {
    if (!live) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== ' ' || e.repeat || typingOrPressing(e.target)) return;
      e.preventDefault();
      void capture();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [live, capture]);

  // Automatic mode: a few small grey samples a second; a fresh detector whenever it is switched
  // on or the region changes, so it first learns the empty station again.
  const captureRef = useRef(capture);
  useEffect(() => {
    captureRef.current = capture;
  }, [capture]);
  useEffect(() => {
    if (!auto || !live) return;
    const detector = createStillnessDetector();
    const ctx = sampleContext();
    const timer = window.setInterval(() => {
      const el = video.current;
      if (hasFrame(el) && detector.step(sampleGrey(el, roi, ctx), performance.now())) void captureRef.current();
    }, 1000 / SAMPLE_FPS);
    return () => window.clearInterval(timer);
  }, [auto, live, roi]);

  return (
    <div className="camera-panel">
      <div className="camera-live">
        {error ? (
          <p className="error camera-message" role="alert" data-testid="camera-error">
            {error}
          </p>
        ) : (
          <>
            {cameras.length > 1 && (
              <label className="camera-choice">
                Camera{' '}
                <select
                  value={deviceId ?? ''}
                  onChange={(e) => {
                    setLive(false);
                    setError(null);
                    setChosen(e.currentTarget.value || null);
                  }}
                  data-testid="camera-select"
                >
                  {cameras.map((c) => (
                    <option key={c.deviceId} value={c.deviceId}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <div className="camera-preview">
              <video ref={video} muted playsInline data-testid="camera-preview" />
              {live && <RoiOverlay roi={roi} onChange={setRoi} />}
            </div>
            {!live && <p className="muted">Opening the camera…</p>}
            <div className="camera-controls">
              <button
                type="button"
                className="primary"
                disabled={!live}
                onClick={() => void capture()}
                data-testid="capture"
              >
                Capture
              </button>
              <label className="camera-auto">
                <input
                  type="checkbox"
                  checked={auto}
                  disabled={!live}
                  onChange={(e) => setAuto(e.currentTarget.checked)}
                  data-testid="auto-capture"
                />{' '}
                Capture automatically
              </label>
              {roi && (
                <button type="button" onClick={() => setRoi(null)} data-testid="clear-roi">
                  Inspect the whole picture
                </button>
              )}
            </div>
            <p className="muted camera-help">
              Space bar captures too.{' '}
              {roi ? 'Only the marked region is inspected. ' : 'Drag on the picture to inspect only a region. '}
              Automatic capture: switch it on with the station empty; it captures once a part has been placed (motion)
              and then held still for {STILL_MS / 1000} s (average change under {MOTION_LEVEL} of 255 grey levels), once
              per part. Each capture is scored against the batch as it is (known-good references make the verdict
              stable).
            </p>
            {captureError && <p className="error">{captureError}</p>}
          </>
        )}
      </div>
      <LatestVerdict results={results} />
    </div>
  );
}
