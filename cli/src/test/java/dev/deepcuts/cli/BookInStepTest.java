package dev.deepcuts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepcuts.core.Repo;
import dev.deepcuts.core.book.Book;

import org.junit.jupiter.api.Test;

/** `./mvnw verify` fails when a chapter's listing, value or figure is out of step with the repository. */
class BookInStepTest {

    @Test
    void everyListingValueAndFigureOfTheBookMatchesTheRepository() {
        assertThat(Book.check(Repo.root())).as("run ./deepcuts book check, then ./deepcuts book sync for stale listings and values").isEmpty();
    }
}
