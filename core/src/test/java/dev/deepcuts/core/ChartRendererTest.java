package dev.deepcuts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartRendererTest {

    @TempDir
    Path dir;

    @Test
    void drawsLineScatterAndBarChartsAsPngFiles() throws Exception {
        double[] x = {1, 10, 100, 1000};
        double[] y = {0.5, 0.05, 0.005, 0.0005};
        ChartRenderer.render(Chart.line("a", "Line").xLabel("keys").yLabel("rate").logX().logY().series("s", x, y), dir.resolve("a.png"));
        ChartRenderer.render(Chart.scatter("b", "Scatter").series("s", x, y), dir.resolve("b.png"));
        ChartRenderer.render(Chart.bar("c", "Bars").categories(List.of("LRU", "LRU+doorkeeper")).series("hit ratio", null, new double[] {0.4, 0.5}),
                dir.resolve("c.png"));
        for (String f : List.of("a.png", "b.png", "c.png")) {
            var img = ImageIO.read(dir.resolve(f).toFile());
            assertThat(img).as(f).isNotNull();
            assertThat(img.getWidth()).isEqualTo(ChartRenderer.WIDTH);
        }
    }

    @Test
    void logAxesDropPointsTheyCannotShow() throws Exception {
        // a measured rate of 0 cannot sit on a log axis; the point is dropped, not the chart
        ChartRenderer.render(Chart.line("z", "Zeros").logY().series("s", new double[] {1, 2, 3}, new double[] {0, 0.1, 0.01}), dir.resolve("z.png"));
        assertThat(dir.resolve("z.png")).exists();
    }

    @Test
    void rejectsMismatchedSeriesAndBadNames() {
        assertThatThrownBy(() -> Chart.line("a", "t").series("s", new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("2 x values but 1 y values");
        assertThatThrownBy(() -> Chart.line("Bad Name", "t")).hasMessageContaining("'Bad Name'");
        assertThatThrownBy(() -> Chart.bar("b", "t").categories(List.of("x")).series("s", null, new double[] {1, 2}))
                .hasMessageContaining("2 values for 1 categories");
    }
}
