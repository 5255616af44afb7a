import { describe, expect, it } from "vitest";
import { csvTable, parseCsv } from "./csv";

describe("reading a CSV file", () => {
  it("takes quoted cells with commas, doubled quotes and line breaks, any line end, and skips a BOM", () => {
    expect(parseCsv('\ufeffa,b,c\r\n1,"x,y",""\r\n"he said ""hi""",,\n"multi\nline",2,3')).toEqual([
      ["a", "b", "c"],
      ["1", "x,y", ""],
      ['he said "hi"', "", ""],
      ["multi\nline", "2", "3"],
    ]);
    expect(parseCsv("a,\rb,c\r\n")).toEqual([
      ["a", ""],
      ["b", "c"],
    ]);
    expect(parseCsv("a,")).toEqual([["a", ""]]);
    expect(parseCsv("")).toEqual([]);
  });

  it("reads back what the exports write", () => {
    const rows = [
      ["=SUM(A1)", "-12.34", 'a "quoted", text'],
      ["line\nbreak", "", "plain"],
    ];
    expect(parseCsv(csvTable(["x", "y", "z"], rows))).toEqual([["x", "y", "z"], ["'=SUM(A1)", "-12.34", 'a "quoted", text'], ...rows.slice(1)]);
  });

  it("refuses a quoted cell that never closes", () => {
    expect(() => parseCsv('a,"open')).toThrow("not closed");
  });
});
