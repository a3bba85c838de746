package io.pulse.simulator.sequences;

/** The layouts {@link SequenceFile} reads; fields are separated by any run of spaces or tabs. */
public enum SequenceFormat {

    /**
     * One user per line followed by their items in order: {@code USER ITEM ITEM ...} (S3-Rec's {@code Beauty.txt}).
     * A line with a user and no item is an error, and so is a user on two lines.
     */
    USER_PER_LINE,

    /**
     * One {@code USER ITEM} pair per line (SASRec's files); a user's lines may be grouped or interleaved with other
     * users', and each user's items keep their file order. A line with one field or with more than two is an error.
     */
    PAIR_PER_LINE,

    /**
     * {@link #PAIR_PER_LINE} when every non-blank line has exactly two fields, otherwise {@link #USER_PER_LINE}. The
     * one ambiguous case, a user-per-line file whose users all have exactly one item, reads the same either way
     * (a user-per-line file never repeats a user), so detection cannot change the result.
     */
    AUTO
}
