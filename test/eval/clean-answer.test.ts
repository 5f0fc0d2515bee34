import { describe, expect, it } from "vitest";
import { cleanAnswer } from "../../src/chatml/clean-answer.js";

const MAIN = 'fn main() {\n    println("hi");\n}\n';

describe("cleanAnswer", () => {
  it("passes plain code through, ending it with one newline", () => {
    const r = cleanAnswer(`\n\n${MAIN}\n\n`);
    expect(r.code).toBe(MAIN);
    expect(r.proseLeak).toBe(false);
    expect(r.stripped).toEqual({ thinkChars: 0, thinkUnterminated: false, proseBefore: "", proseAfter: "", fence: null, blocks: 0 });
  });

  it("strips closed think blocks and counts what it removed", () => {
    const r = cleanAnswer(`<think>an actor? no, a fn</think>\n${MAIN}`);
    expect(r.code).toBe(MAIN);
    expect(r.stripped.thinkChars).toBe("<think>an actor? no, a fn</think>".length);
    expect(r.stripped.thinkUnterminated).toBe(false);
  });

  it("treats an unterminated think as reasoning to the end: no code left", () => {
    const r = cleanAnswer("<think>let me think about fn main() {");
    expect(r.code).toBe("");
    expect(r.stripped.thinkUnterminated).toBe(true);
  });

  it("drops reasoning before a closing tag whose opener was in the prompt template", () => {
    const r = cleanAnswer(`the user wants a main\n</think>\n\n\`\`\`hew\n${MAIN}\`\`\``);
    expect(r.code).toBe(MAIN);
    expect(r.stripped.thinkChars).toBe("the user wants a main\n</think>".length);
  });

  it("takes the code out of a hew fence and records prose around it as a leak", () => {
    const r = cleanAnswer(`Here is the program:\n\`\`\`hew\n${MAIN}\`\`\`\nIt prints hi.`);
    expect(r.code).toBe(MAIN);
    expect(r.proseLeak).toBe(true);
    expect(r.stripped).toMatchObject({ proseBefore: "Here is the program:", proseAfter: "It prints hi.", fence: { lang: "hew", unterminated: false }, blocks: 1 });
  });

  it("counts a bare fence as no prose leak", () => {
    const r = cleanAnswer(`\`\`\`\n${MAIN}\`\`\`\n`);
    expect(r.code).toBe(MAIN);
    expect(r.proseLeak).toBe(false);
    expect(r.stripped.fence).toEqual({ lang: "", unterminated: false });
  });

  it("picks the complete program when there are several blocks", () => {
    const helper = "fn double(x: i64) -> i64 {\n    x * 2\n}\n";
    const program = `${helper}\nfn main() {\n    println(double(2));\n}\n`;
    const r = cleanAnswer(`First a helper:\n\`\`\`hew\n${helper}\`\`\`\nThen all of it:\n\`\`\`hew\n${program}\`\`\`\nRun it:\n\`\`\`bash\nhew run main.hew\n\`\`\``);
    expect(r.code).toBe(program);
    expect(r.stripped.blocks).toBe(3);
    expect(r.stripped.proseAfter).toContain("hew run main.hew");
  });

  it("prefers a Hew block over a shell block even when the shell block comes first and is longer", () => {
    const tests = "#[test]\nfn reverses() {\n    assert_eq(1, 1);\n}\n";
    const r = cleanAnswer(`\`\`\`bash\nhew test reverse_test.hew --verbose --filter reverses\n\`\`\`\n\`\`\`hew\n${tests}\`\`\``);
    expect(r.code).toBe(tests);
  });

  it("still checks code the model tagged with another language, so the checker can blame it", () => {
    const r = cleanAnswer(`\`\`\`rust\n${MAIN}\`\`\``);
    expect(r.code).toBe(MAIN);
    expect(r.stripped.fence).toEqual({ lang: "rust", unterminated: false });
  });

  it("copes with output cut off inside the fence, including a half-written closing fence", () => {
    expect(cleanAnswer("```hew\nfn main() {\n    println(1);\n").code).toBe("fn main() {\n    println(1);\n");
    const r = cleanAnswer(`\`\`\`hew\n${MAIN}\`\``);
    expect(r.code).toBe(MAIN);
    expect(r.stripped.fence).toEqual({ lang: "hew", unterminated: true });
  });

  it("takes a fence closed on the code's last line as closed", () => {
    const r = cleanAnswer("```hew\nfn main() {\n    println(1);\n}```\nThat is all.");
    expect(r.code).toBe("fn main() {\n    println(1);\n}\n");
    expect(r.stripped).toMatchObject({ fence: { lang: "hew", unterminated: false }, proseAfter: "That is all." });
  });

  it("does not mistake a stray closing fence after unfenced code for the code", () => {
    const r = cleanAnswer(`${MAIN}\`\`\`\n`);
    expect(r.code).toBe(MAIN);
    expect(r.stripped).toMatchObject({ fence: null, blocks: 0, proseAfter: "```" });
  });

  it("drops prose lines before and after unfenced code", () => {
    const r = cleanAnswer(`Sure! Below is the program.\n\n${MAIN}\nThis program simply prints hi.\n`);
    expect(r.code).toBe(MAIN);
    expect(r.stripped).toMatchObject({ proseBefore: "Sure! Below is the program.", proseAfter: "This program simply prints hi." });
    expect(r.proseLeak).toBe(true);
  });

  it("keeps Rust a model wrote instead of Hew: that is for the checker to fail", () => {
    const rust = "use std::collections::HashMap;\n\nfn main() {\n    let mut m = HashMap::new();\n}\n";
    expect(cleanAnswer(rust).code).toBe(rust);
  });

  it("leaves an answer with no code in it as it is, for the checker to call prose", () => {
    const r = cleanAnswer("I cannot write that program.");
    expect(r.code).toBe("I cannot write that program.\n");
    expect(r.proseLeak).toBe(false);
  });

  it("gives no code for an empty answer", () => {
    expect(cleanAnswer("  \n").code).toBe("");
  });
});
