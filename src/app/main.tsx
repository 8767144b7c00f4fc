import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { installDiagnostics } from './diagnostics.ts';
import { registerServiceWorker } from './offline.ts';
import { queryClient } from './queryClient.ts';
import './styles.css';

installDiagnostics();
void registerServiceWorker();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
