using System.Text;

namespace Fairscope;

/// <summary>RFC 4180 CSV: quoted fields may hold commas, quotes and line breaks. Records carry the physical line
/// they start on, so errors can name it.</summary>
public static class Csv
{
    /// <summary>Records of <paramref name="reader"/> with the 1-based line each starts on.</summary>
    public static IEnumerable<(long Line, List<string> Fields)> Read(TextReader reader, string file)
    {
        long line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false, recordQuoted = false;
        long recordLine = 1;
        int c;
        while ((c = reader.Read()) != -1)
        {
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0 && !fieldStarted: quoted = fieldStarted = recordQuoted = true; break;
                case '"': throw new FairscopeException($"{file}:{line}: stray quote inside an unquoted field; quote the field and double its quotes");
                case ',': fields.Add(field.ToString()); field.Clear(); fieldStarted = false; break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false;
                    // A blank line is no record; a line holding only "" is a record of one empty field.
                    if (fields.Count > 1 || fields[0].Length > 0 || recordQuoted) yield return (recordLine, fields);
                    fields = [];
                    recordQuoted = false;
                    recordLine = ++line;
                    break;
                default: field.Append((char)c); fieldStarted = true; break;
            }
        }
        if (quoted) throw new FairscopeException($"{file}:{recordLine}: a quoted field is never closed");
        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields);
        }
    }

    /// <summary>Writes one record, quoting fields that need it.</summary>
    public static void WriteRecord(TextWriter writer, IEnumerable<string?> fields)
    {
        var values = fields.ToList();
        if (values is [null or ""])
        {
            writer.Write("\"\"\n"); // one empty field: quoted, or it would read back as a blank line
            return;
        }
        var first = true;
        foreach (var f in values)
        {
            if (!first) writer.Write(',');
            first = false;
            var value = f ?? "";
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0) writer.Write('"' + value.Replace("\"", "\"\"") + '"');
            else writer.Write(value);
        }
        writer.Write('\n');
    }
}
