using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fairscope.Tests;

/// <summary><see cref="Csv"/>: RFC 4180 reading with record line numbers, and writing that round-trips.</summary>
public sealed class CsvTests
{
    private static List<(long Line, List<string> Fields)> Read(string text) => Csv.Read(new StringReader(text), "t.csv").ToList();

    private static string Write(IEnumerable<IEnumerable<string?>> records)
    {
        var writer = new StringWriter();
        foreach (var r in records) Csv.WriteRecord(writer, r);
        return writer.ToString();
    }

    // ---------------------------------------------------------------- writing

    [Fact]
    public void WriteRecord_quotes_only_fields_that_need_it()
    {
        Assert.Equal("a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\"r\rn\",,\n", Write([["a", "b,c", "say \"hi\"", "x\ny", "r\rn", "", null]]));
    }

    // ---------------------------------------------------------------- reading

    [Fact]
    public void Read_gives_records_with_their_start_lines()
    {
        // line 1: a,b   line 2–3: one record whose second field spans two lines   line 4: e,f
        var records = Read("a,b\nc,\"d1\nd2\"\ne,f\n");
        Assert.Equal(3, records.Count);
        Assert.Equal([1L, 2L, 4L], records.Select(r => r.Line));
        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(["c", "d1\nd2"], records[1].Fields);
        Assert.Equal(["e", "f"], records[2].Fields);
    }

    [Fact]
    public void Line_numbers_after_several_multi_line_records()
    {
        // record 1 spans lines 1–3, record 2 spans lines 4–5, blank line 6 is skipped, record 3 on line 7
        var records = Read("\"x\n\ny\",1\n\"p\nq\",2\n\nz,3");
        Assert.Equal([1L, 4L, 7L], records.Select(r => r.Line));
        Assert.Equal("x\n\ny", records[0].Fields[0]);
        Assert.Equal(["z", "3"], records[2].Fields); // last record without a final newline
    }

    [Fact]
    public void Crlf_line_endings_are_accepted()
    {
        var records = Read("a,b\r\nc,d\r\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(["c", "d"], records[1].Fields);
        Assert.Equal(2L, records[1].Line);
    }

    [Fact]
    public void Empty_fields_are_kept()
    {
        Assert.Equal(["", "", ""], Assert.Single(Read(",,\n")).Fields);
        Assert.Equal(["a", ""], Assert.Single(Read("a,\"\"\n")).Fields);
    }

    [Fact]
    public void Stray_quote_names_the_line()
    {
        var e = Assert.Throws<FairscopeException>(() => Read("a,b\nc,d\"e\n"));
        Assert.StartsWith("t.csv:2:", e.Message);
        Assert.Contains("stray quote", e.Message);
    }

    [Fact]
    public void Unclosed_quote_names_the_line_the_record_starts_on()
    {
        var e = Assert.Throws<FairscopeException>(() => Read("a,b\nc,\"never\nclosed\n"));
        Assert.StartsWith("t.csv:2:", e.Message);
        Assert.Contains("never closed", e.Message);
    }

    // ---------------------------------------------------------------- round trip

    [Fact]
    public void Round_trip_of_awkward_fields()
    {
        List<List<string>> records =
        [
            ["plain", "", "with,comma", "with \"quotes\"", "\"", "\"\"", "multi\nline", "crlf\r\nend", "\n", "\r"],
            ["", ""],
            [" leading and trailing spaces ", "unicode: é ü 漢字 🙂"],
        ];
        var parsed = Read(Write(records));
        Assert.Equal(records, parsed.Select(r => r.Fields));
    }

    /// <summary>Records of fields drawn from arbitrary strings without '\0'.</summary>
    public static class Records
    {
        private static readonly Gen<string> Field = ArbMap.Default.GeneratorFor<string>()
            .Select(s => (s ?? "").Replace("\0", ""));

        // Characters the format treats specially, mixed in often so that most records exercise quoting.
        private static readonly Gen<string> Special = Gen.Elements(",", "\"", "\n", "\r", "\r\n", "\"\"", " ", "", "a");

        private static readonly Gen<string> Mixed = Gen.Frequency(
            (3, Field),
            (2, Gen.ListOf(Special).Select(parts => string.Concat(parts))),
            (1, Gen.Zip(Field, Special).Select(t => t.Item1 + t.Item2 + t.Item1)));

        public static Arbitrary<string[][]> Csv() => Arb.From(
            Gen.ArrayOf(Gen.Choose(2, 6).SelectMany(n => Gen.ArrayOf(Mixed, n))).Where(r => r.Length > 0));
    }

    [Property(Arbitrary = new[] { typeof(Records) }, MaxTest = 300, Replay = "(98765,43211)")]
    public void Round_trip_property(string[][] records)
    {
        var parsed = Read(Write(records));
        Assert.Equal(records.Select(r => r.ToList()).ToList(), parsed.Select(r => r.Fields).ToList());
    }

    [Property(Replay = "(13579,24681)")]
    public void Round_trip_of_any_two_strings(NonNull<string> a, NonNull<string> b)
    {
        string x = a.Get.Replace("\0", ""), y = b.Get.Replace("\0", "");
        var parsed = Assert.Single(Read(Write([[x, y]])));
        Assert.Equal([x, y], parsed.Fields);
    }

    [Property(Replay = "(11111,22223)")]
    public void Round_trip_of_any_non_empty_single_field(NonNull<string> a)
    {
        var x = a.Get.Replace("\0", "");
        if (x.Length == 0) return; // see Single_empty_field_round_trips
        Assert.Equal([x], Assert.Single(Read(Write([[x]]))).Fields);
    }

    [Fact]
    public void Single_empty_field_round_trips()
    {
        var parsed = Read(Write([[""], ["a"]]));
        Assert.Equal(2, parsed.Count);
        Assert.Equal([""], parsed[0].Fields);
    }
}
