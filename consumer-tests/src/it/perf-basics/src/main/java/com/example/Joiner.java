package com.example;

import java.util.List;

/** The code under test: two ways to join words. */
public final class Joiner {

    private Joiner() {
    }

    public static String withConcatenation(List<String> words) {
        String joined = "";
        for (String word : words) {
            joined = joined + word + ",";
        }
        return joined;
    }

    public static String withBuilder(List<String> words) {
        StringBuilder joined = new StringBuilder();
        for (String word : words) {
            joined.append(word).append(',');
        }
        return joined.toString();
    }
}
