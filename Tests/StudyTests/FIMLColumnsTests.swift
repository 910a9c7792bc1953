import SEM
import SurveyData
import Testing

/// Study hands SurveyData's byte columns to the FIML fit as they are: both must mark a blank with the same byte,
/// and a blank read from a CSV must reach the fit as a blank.
@Suite struct FIMLColumns {
    @Test func blankBytesAgree() {
        #expect(ItemColumn.missingByte == IncompleteColumn.missingByte)
        let column = IncompleteColumn.bytes([1, IncompleteColumn.missingByte, 5])
        #expect(column[0] == 1 && column[1].isNaN && column[2] == 5)
    }
}
