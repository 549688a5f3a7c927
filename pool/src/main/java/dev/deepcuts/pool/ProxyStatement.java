package dev.deepcuts.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * What a {@link ProxyConnection} hands out instead of the driver's {@link Statement}: every call
 * delegates, but {@link #getConnection()} returns the borrower's proxy rather than the physical
 * connection (so code that reaches the connection through a statement cannot close it, or keep it,
 * behind the pool's back), result sets lead back to this statement, errors are shown to the
 * connection proxy (which notices a broken connection at the failure itself), and closing the
 * statement stops the connection tracking it.
 *
 * <p>Plain delegation, one method per method of the interface; like a JDBC statement, not meant
 * to be shared between threads.
 */
class ProxyStatement implements Statement {

    final ProxyConnection connection;
    private final Statement delegate;

    ProxyStatement(ProxyConnection connection, Statement delegate) {
        this.connection = connection;
        this.delegate = delegate;
    }

    // region statement-proxy
    /** The borrower's proxy, never the physical connection. */
    @Override
    public final Connection getConnection() {
        return connection;
    }

    /** Closes the statement and stops tracking it. */
    @Override
    public final void close() throws SQLException {
        connection.untrack(this);
        try {
            delegate.close();
        } catch (SQLException e) {
            throw failed(e);
        }
    }
    // endregion statement-proxy

    /** Closes the driver's statement without untracking it: the connection is closing all of them. */
    final void closeDelegate() throws SQLException {
        delegate.close();
    }

    @Override
    public final boolean isClosed() throws SQLException {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }

    /** Shows a failure to the connection proxy, which decides whether the connection is broken. */
    final SQLException failed(SQLException e) {
        return connection.failed(e);
    }

    /** A result set that leads back to this statement. */
    final ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new ProxyResultSet(connection, this, rs);
    }

    @Override
    public void addBatch(String a0) throws SQLException {
        try {
            delegate.addBatch(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void cancel() throws SQLException {
        try {
            delegate.cancel();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        try {
            delegate.clearBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        try {
            delegate.closeOnCompletion();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
        try {
            return delegate.enquoteIdentifier(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteLiteral(String a0) throws SQLException {
        try {
            return delegate.enquoteLiteral(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteNCharLiteral(String a0) throws SQLException {
        try {
            return delegate.enquoteNCharLiteral(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String a0, int[] a1) throws SQLException {
        try {
            return delegate.execute(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String a0, String[] a1) throws SQLException {
        try {
            return delegate.execute(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String a0, int a1) throws SQLException {
        try {
            return delegate.execute(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String a0) throws SQLException {
        try {
            return delegate.execute(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            return delegate.executeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return delegate.executeLargeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0, int a1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String a0) throws SQLException {
        try {
            return delegate.executeLargeUpdate(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet executeQuery(String a0) throws SQLException {
        try {
            return wrap(delegate.executeQuery(a0));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String a0, int[] a1) throws SQLException {
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String a0, String[] a1) throws SQLException {
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String a0, int a1) throws SQLException {
        try {
            return delegate.executeUpdate(a0, a1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String a0) throws SQLException {
        try {
            return delegate.executeUpdate(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return delegate.getFetchDirection();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return delegate.getFetchSize();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        try {
            return wrap(delegate.getGeneratedKeys());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        try {
            return delegate.getLargeMaxRows();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return delegate.getLargeUpdateCount();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        try {
            return delegate.getMaxFieldSize();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        try {
            return delegate.getMaxRows();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return delegate.getMoreResults();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        try {
            return delegate.getMoreResults(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        try {
            return delegate.getQueryTimeout();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        try {
            return wrap(delegate.getResultSet());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        try {
            return delegate.getResultSetConcurrency();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        try {
            return delegate.getResultSetHoldability();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetType() throws SQLException {
        try {
            return delegate.getResultSetType();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return delegate.getUpdateCount();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        try {
            return delegate.isCloseOnCompletion();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isPoolable() throws SQLException {
        try {
            return delegate.isPoolable();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isSimpleIdentifier(String a0) throws SQLException {
        try {
            return delegate.isSimpleIdentifier(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        try {
            delegate.setCursorName(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        try {
            delegate.setEscapeProcessing(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        try {
            delegate.setFetchDirection(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        try {
            delegate.setFetchSize(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setLargeMaxRows(long a0) throws SQLException {
        try {
            delegate.setLargeMaxRows(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        try {
            delegate.setMaxFieldSize(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        try {
            delegate.setMaxRows(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        try {
            delegate.setPoolable(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        try {
            delegate.setQueryTimeout(a0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
