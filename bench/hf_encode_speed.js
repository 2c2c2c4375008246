// Times Hugging Face tokenizers (Rust, via its Node binding) on one file, load excluded:
// the whole file in one call, and in chunks of about CHUNK bytes cut at newlines, one call
// after another. Usage: node hf_encode_speed.js TOKENIZER.json FILE RUNS CHUNK ; prints JSON.
const path = require('path');
const fs = require('fs');
const { Tokenizer } = require(path.join(__dirname, '..', 'third_party', 'node_modules', 'tokenizers'));

function chunks(buf, size) {
  const out = [];
  let at = 0;
  while (at < buf.length) {
    let end = Math.min(buf.length, at + size);
    const nl = buf.indexOf(10, end);
    end = nl < 0 ? buf.length : nl + 1;
    out.push(buf.subarray(at, end).toString('utf8'));
    at = end;
  }
  return out;
}

(async () => {
  const [tokPath, file, runs, chunk] = process.argv.slice(2);
  const tok = Tokenizer.fromFile(tokPath);
  const buf = fs.readFileSync(file);
  const text = buf.toString('utf8');
  const parts = chunks(buf, Number(chunk));
  const seconds = [], chunkSeconds = [];
  let ids = 0, chunkIds = 0;
  for (let r = 0; r < Number(runs); ++r) {
    let t0 = process.hrtime.bigint();
    const enc = await tok.encode(text, null, { addSpecialTokens: false });
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    ids = enc.getIds().length;
    chunkIds = 0;
    t0 = process.hrtime.bigint();
    for (const p of parts) chunkIds += (await tok.encode(p, null, { addSpecialTokens: false })).getIds().length;
    chunkSeconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  process.stdout.write(JSON.stringify({ ids, chunk_ids: chunkIds, chunks: parts.length, seconds, chunk_seconds: chunkSeconds }) + '\n');
})().catch((e) => { console.error(e); process.exit(1); });
