import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App.tsx';
import { boot } from './state/boot.ts';
import './ui/global.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// The store must hold a scenario before the first render.
boot();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
