// zhclean's record mode under Spark's Scala/Java RDD.pipe (PipedRDD), which,
// unlike PySpark's pipe, fails the task when the subprocess exits non-zero.
//
// Usage (through spark-submit, which sets up the classpath and Java 17's
// module options):
//   spark-submit --class PipeDriver driver.jar IN.jsonl OUT.jsonl PARTITIONS CMD...
// Reads IN's lines, pipes them through CMD in PARTITIONS partitions (UTF-8 both
// ways, whatever the JVM's default charset) and writes the collected output
// lines, in order, to OUT. Built by tests/spark/test_spark_pipe.py with javac
// against the pinned pyspark's jars.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

public final class PipeDriver {
    private PipeDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PipeDriver IN.jsonl OUT.jsonl PARTITIONS CMD...");
            System.exit(2);
        }
        Path in = Paths.get(args[0]);
        Path out = Paths.get(args[1]);
        int partitions = Integer.parseInt(args[2]);
        // (A copy: the command travels with the RDD and must serialize.)
        List<String> command = new ArrayList<>(Arrays.asList(args).subList(3, args.length));
        // Lines end at \n only: JSON escapes \r and \n inside strings, and
        // U+2028 (left unescaped) must not split a record.
        String text = new String(Files.readAllBytes(in), StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(text.split("\n"));
        SparkConf conf = new SparkConf()
                .setAppName("zhclean-java-pipe-test")
                .setIfMissing("spark.master", "local[2]")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            JavaRDD<String> rdd = sc.parallelize(lines, partitions);
            List<String> result = rdd
                    .pipe(command, new HashMap<>(), false, 8192, "UTF-8")
                    .collect();
            Files.write(out, (String.join("\n", result) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
