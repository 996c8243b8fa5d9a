// The service's patterns read with Java regex semantics (the service is Java): a full match
// (Matcher.matches), ASCII \w, case-sensitive, \p{..} per code point; lengths in code points.
// Input: one test string per line, as hex UTF-16 code units separated by spaces (so unpaired
// surrogates survive). Arguments: pattern/min/max triples. Output: one line per input, one 0/1 per triple.
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class PatternOracle {
    public static void main(String[] args) throws Exception {
        List<Pattern> patterns = new ArrayList<>();
        List<int[]> bounds = new ArrayList<>();
        for (int i = 1; i + 2 < args.length + 1; i += 3) {
            patterns.add(Pattern.compile(args[i]));
            bounds.add(new int[] { Integer.parseInt(args[i + 1]), Integer.parseInt(args[i + 2]) });
        }
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Paths.get(args[0]))) {
            String s;
            if (line.isEmpty()) {
                s = "";
            } else {
                String[] units = line.split(" ");
                char[] chars = new char[units.length];
                for (int i = 0; i < units.length; i++) chars[i] = (char) Integer.parseInt(units[i], 16);
                s = new String(chars);
            }
            int length = s.codePointCount(0, s.length());
            for (int p = 0; p < patterns.size(); p++) {
                int[] b = bounds.get(p);
                boolean ok = length >= b[0] && length <= b[1] && patterns.get(p).matcher(s).matches();
                out.append(ok ? '1' : '0');
            }
            out.append('\n');
        }
        System.out.print(out);
    }
}
