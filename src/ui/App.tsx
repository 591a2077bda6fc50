export function App() {
  return (
    <main>
      <h1>HMM Explorer</h1>
      <p>Watch Linux HMM fault pages into a device page table, step by step.</p>
    </main>
  );
}
