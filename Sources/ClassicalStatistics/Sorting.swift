extension Array where Element == Double {
    /// The values in ascending order, without sorting when they already are (an O(n) check): the study sorts each
    /// construct score once and hands the sorted copy to every order statistic (median, mode, KS, Shapiro–Wilk).
    var ascending: [Double] {
        var isSorted = true
        var i = 1
        while i < count {
            if self[i - 1] > self[i] {
                isSorted = false
                break
            }
            i += 1
        }
        return isSorted ? self : sorted()
    }
}
