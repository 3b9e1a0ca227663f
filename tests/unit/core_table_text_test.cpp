// Delimited table text: TSV without quoting, CSV with RFC 4180 quotes, and
// the line and column of a broken quote.
#include <gtest/gtest.h>

#include "netcook/core/table_text.h"

namespace netcook {
namespace {

TableRows parse(const std::string& text, TableDelimiter d) {
  TableRows rows;
  auto error = parse_table_text(text, d, &rows);
  EXPECT_FALSE(error) << (error ? error->message : "");
  return rows;
}

TEST(TableText, TabSeparatedRowsArePaddedToTheLongest) {
  EXPECT_EQ(parse("a\tb\tc\n1\t2\n", TableDelimiter::Tab),
            (TableRows{{"a", "b", "c"}, {"1", "2", ""}}));
  EXPECT_EQ(parse("x\r\n\"q\"\t,\n", TableDelimiter::Tab), (TableRows{{"x", ""}, {"\"q\"", ","}}));
  EXPECT_EQ(parse("last line", TableDelimiter::Tab), (TableRows{{"last line"}}));
  EXPECT_EQ(parse("", TableDelimiter::Tab), TableRows{});
  EXPECT_EQ(parse("a\n\nb", TableDelimiter::Tab), (TableRows{{"a"}, {""}, {"b"}}));
}

TEST(TableText, CommaSeparatedQuotes) {
  EXPECT_EQ(parse("n,v\n\"a, b\",1\n\"say \"\"hi\"\"\",\"two\nlines\"\n,\n", TableDelimiter::Comma),
            (TableRows{{"n", "v"}, {"a, b", "1"}, {"say \"hi\"", "two\nlines"}, {"", ""}}));
  // A quote inside an unquoted cell is an ordinary character.
  EXPECT_EQ(parse("a\"b,c\n", TableDelimiter::Comma), (TableRows{{"a\"b", "c"}}));
}

TEST(TableText, BrokenQuotesAreReportedWhereTheyAre) {
  TableRows rows;
  auto e = parse_table_text("a,b\nc,\"open\nmore", TableDelimiter::Comma, &rows);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->line, 2);
  EXPECT_EQ(e->column, 3);
  e = parse_table_text("x\n\"q\"z,1", TableDelimiter::Comma, &rows);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->line, 2);
  EXPECT_EQ(e->column, 4);
}

TEST(TableText, DelimiterFromTheFileName) {
  EXPECT_EQ(table_delimiter_for_path("data/points.CSV"), TableDelimiter::Comma);
  EXPECT_EQ(table_delimiter_for_path("points.tsv"), TableDelimiter::Tab);
  EXPECT_EQ(table_delimiter_for_path("dir.csv/points"), TableDelimiter::Tab);
  EXPECT_EQ(table_delimiter_for_path(""), TableDelimiter::Tab);
}

}  // namespace
}  // namespace netcook
