// The oracle for glyph's tokenizer: Hugging Face tokenizers (Rust, through its Node
// binding from npm). Usage: node hf_encode.js TOKENIZER.json FILE... ; prints one JSON
// line per file: {"file": ..., "ids": [...]}. Files are read as UTF-8 (invalid sequences
// become U+FFFD, per maximal subpart).
const path = require('path');
const fs = require('fs');
const { Tokenizer } = require(path.join(__dirname, '..', '..', 'third_party', 'node_modules', 'tokenizers'));

(async () => {
  const [tokenizerPath, ...files] = process.argv.slice(2);
  const tok = Tokenizer.fromFile(tokenizerPath);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const enc = await tok.encode(text, null, { addSpecialTokens: false });
    process.stdout.write(JSON.stringify({ file, ids: Array.from(enc.getIds()) }) + '\n');
  }
})().catch((e) => { console.error(e); process.exit(1); });
